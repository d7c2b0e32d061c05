package io.github.camelkvconnect.smime;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.DefaultCMSSignatureEncryptionAlgorithmFinder;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.util.Store;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSAuthEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataStreamGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputAEADEncryptor;

/**
 * Signs then encrypts a business MIME entity into a complete transport message (clear routing headers + S/MIME body)
 * written to an {@link OutputStream}. Everything is streamed: the entity is hashed while it passes through the
 * envelope encryption, the signature is appended after it, nothing is buffered whole.
 * <p>
 * Before a single byte is written, the routing headers are checked ({@link InvalidHeaderException}) and every
 * recipient's certificate and the sender's own are resolved and checked ({@link CertificateProblemsException} listing
 * every unusable address). Thread-safe; build once and reuse.
 * <p>
 * KIM with ECC: recipient (and own) certificates with an EC key on one of {@link AlgorithmPolicy#KIM_CURVES} and key
 * usage keyAgreement get a KeyAgreeRecipientInfo (ephemeral-static ECDH, X9.63 KDF with SHA-256, AES-256 key wrap),
 * RSA certificates the usual RSAES-OAEP entry, both in one AuthEnvelopedData. When the resolver offers an RSA and an
 * EC certificate for one address (the two keys of a card), KIM encrypts for the first usable one of each kind, as an
 * ECC-capable Konnektor does. KV-Connect stays RSA only, one certificate per address.
 *
 * <pre>{@code
 * SmimeWriter writer = SmimeWriter.builder().profile(SmimeProfile.KVCONNECT).credentials(own)
 *         .certificateResolver(directory::lookup).trustAnchors(kvCas).build();
 * writer.write(businessEntity, Map.of("From", "a@kv-safenet.de", "To", "b@kv-safenet.de", "Subject", "Arztbrief"), out);
 * }</pre>
 */
public final class SmimeWriter {

    /** recipient-emails attribute of gemSMIME_KOMLE. */
    public static final String RECIPIENT_EMAILS_OID = "1.2.276.0.76.4.173";
    /** Value of {@code X-KOM-LE-Version} written by the KIM profile. */
    public static final String KOM_LE_VERSION = "1.5";

    private static final byte[] CRLF = { '\r', '\n' };
    /** Stateless lookup table, the one JcaSignerInfoGeneratorBuilder creates per call. */
    private static final DefaultCMSSignatureEncryptionAlgorithmFinder ENCRYPTION_ALGORITHMS =
            new DefaultCMSSignatureEncryptionAlgorithmFinder();

    private final SmimeProfile profile;
    private final SmimeCredentials credentials;
    private final CertificateResolver resolver;
    private final List<X509Certificate> trustAnchors;
    private final List<X509Certificate> intermediates;
    private final Clock clock;
    private final RsaOperations rsa;
    private final List<java.security.cert.X509CRL> crls;
    /** PKIX-accepted paths: the builder's shared cache, or one of this instance. */
    private final CertificatePathCache validPaths;
    /** The signer certificate and the certificates carried in the SignedData, converted once (they never change). */
    private final X509CertificateHolder signerHolder;
    private final Store<X509CertificateHolder> carriedCertificates;

    private SmimeWriter(Builder b) {
        this.profile = b.profile;
        this.credentials = Objects.requireNonNull(b.credentials, "credentials are required to sign");
        try {
            this.signerHolder = new JcaX509CertificateHolder(credentials.certificate());
            this.carriedCertificates = new JcaCertStore(profile == SmimeProfile.KIM
                    ? List.of(credentials.certificate()) : credentials.chain());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The own certificate chain cannot be encoded: " + e.getMessage(), e);
        }
        this.resolver = Objects.requireNonNull(b.resolver, "a certificate resolver is required to encrypt");
        this.trustAnchors = List.copyOf(b.trustAnchors);
        this.intermediates = List.copyOf(b.intermediates);
        this.crls = List.copyOf(b.crls);
        this.validPaths = b.pathCache != null ? b.pathCache : new CertificatePathCache();
        this.clock = b.clock;
        // a provider without the RSA services used fails here, when the writer/reader is built, not on a message
        this.rsa = RsaOperations.on(b.rsaProvider == null ? null : RsaProviders.requireRsaServices(b.rsaProvider));
    }

    public static Builder builder() {
        return new Builder();
    }

    public SmimeProfile profile() {
        return profile;
    }

    /**
     * Signs and encrypts for the To and Cc addresses of {@code routingHeaders} and the sender.
     *
     * @see #write(Part, Map, Collection, OutputStream)
     */
    public void write(Part businessEntity, Map<String, String> routingHeaders, OutputStream out)
            throws SmimeException, IOException {
        write(businessEntity, routingHeaders, null, out);
    }

    /**
     * Signs {@code businessEntity}, encrypts it for every recipient and the sender, and writes the transport message.
     *
     * @param  businessEntity               the MIME entity to protect (text and attachments; may be file-backed)
     * @param  routingHeaders               headers written in clear, in order (From is required)
     * @param  recipients                   plain addresses to encrypt for; null means the To and Cc addresses
     * @param  out                          receives the transport message; not closed
     * @throws InvalidHeaderException       a header contains CR/LF or an invalid address (nothing written)
     * @throws CertificateProblemsException certificates missing or unusable (nothing written)
     * @throws SmimeException               signing or encryption failed
     */
    public void write(Part businessEntity, Map<String, String> routingHeaders, Collection<String> recipients,
                      OutputStream out) throws SmimeException, IOException {
        Objects.requireNonNull(businessEntity, "businessEntity");
        if (profile == SmimeProfile.KVCONNECT && EcKeys.isEc(credentials.privateKey())) {
            throw new SmimeException("The KV-Connect profile signs with RSA only, but the configured key is an EC key; "
                                     + "configure the account's RSA key, or use the KIM profile for ECC cards");
        }
        RoutingHeaders.check(routingHeaders);
        String from = RoutingHeaders.get(routingHeaders, "From");
        List<String> fromAddresses = RoutingHeaders.addresses("From", from);
        if (fromAddresses.size() != 1) {
            throw new InvalidHeaderException("From", "Exactly one From address is required to sign and encrypt");
        }
        Set<String> targets = new LinkedHashSet<>();
        if (recipients != null) {
            for (String r : recipients) {
                targets.addAll(RoutingHeaders.addresses("recipient", r));
            }
        } else {
            targets.addAll(RoutingHeaders.addresses("To", RoutingHeaders.get(routingHeaders, "To")));
            targets.addAll(RoutingHeaders.addresses("Cc", RoutingHeaders.get(routingHeaders, "Cc")));
        }
        if (targets.isEmpty()) {
            throw new InvalidHeaderException("To", "No recipient address given; set To (or Cc)");
        }
        List<Map.Entry<String, X509Certificate>> encryptTo = resolveCertificates(targets, fromAddresses.get(0));

        OutputStream base64 = Base64.getMimeEncoder(76, CRLF).wrap(new NonClosing(out));
        if (profile == SmimeProfile.KVCONNECT) {
            writeOuterHeaders(routingHeaders, out, null, "enveloped-data");
            try (OutputStream envelope = openEnvelope(encryptTo, base64)) {
                writeMultipartSigned(businessEntity, envelope);
            } catch (CMSException e) {
                throw new SmimeException("Cannot encrypt the message: " + e.getMessage(), e);
            }
        } else {
            writeOuterHeaders(routingHeaders, out, "KOM-LE-Nachricht", "authenticated-enveloped-data");
            try (OutputStream envelope = openAuthEnvelope(encryptTo, base64)) {
                writeOpaqueSigned(businessEntity, routingHeaders, encryptTo, envelope);
            } catch (CMSException e) {
                throw new SmimeException("Cannot encrypt the message: " + e.getMessage(), e);
            }
        }
        base64.close();
        out.write(CRLF);
        out.flush();
    }

    private List<Map.Entry<String, X509Certificate>> resolveCertificates(Set<String> recipients, String sender)
            throws SmimeException {
        Date now = Date.from(clock.instant());
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, List<X509Certificate>> usable = new LinkedHashMap<>();
        for (String address : recipients) {
            try {
                List<X509Certificate> candidates = resolver.candidates(address);
                if (candidates == null || candidates.isEmpty()) {
                    problems.put(address, "no certificate found");
                    continue;
                }
                String firstProblem = null;
                List<X509Certificate> chosen = new ArrayList<>(2);
                for (X509Certificate c : candidates) {
                    // KIM: the first usable RSA and the first usable EC certificate, as an ECC-capable Konnektor
                    // encrypts for both keys of a recipient's card; otherwise the first usable one
                    boolean ec = EcKeys.isEc(c.getPublicKey());
                    if (chosen.stream().anyMatch(u -> EcKeys.isEc(u.getPublicKey()) == ec)) {
                        continue;
                    }
                    String problem = CertificateChecks.encryptionProblem(c, curves(), trustAnchors, combinedPool(), now,
                            validPaths, crls);
                    if (problem == null) {
                        chosen.add(c);
                        if (curves().isEmpty()) {
                            break;
                        }
                    } else {
                        firstProblem = firstProblem == null ? problem : firstProblem;
                    }
                }
                if (!chosen.isEmpty()) {
                    usable.put(address, chosen);
                }
                if (!usable.containsKey(address)) {
                    problems.put(address, firstProblem);
                }
            } catch (IOException e) {
                problems.put(address, "certificate lookup failed: " + e.getMessage());
            }
        }
        // The sender must be able to read its own sent message.
        String own = CertificateChecks.encryptionProblem(credentials.certificate(), curves(), trustAnchors, combinedPool(),
                now, validPaths, crls);
        if (own != null) {
            problems.put(sender, "own certificate: " + own);
        }
        if (!problems.isEmpty()) {
            throw new CertificateProblemsException(problems);
        }
        List<Map.Entry<String, X509Certificate>> result = new ArrayList<>();
        usable.forEach((a, certificates) -> certificates.forEach(c -> result.add(Map.entry(a, c))));
        if (result.stream().noneMatch(e -> e.getValue().equals(credentials.certificate()))) {
            result.add(Map.entry(sender, credentials.certificate()));
        }
        return result;
    }

    /** Curves an EC recipient certificate may use: the profile's (none for KV-Connect, whose envelope is RSA only). */
    private Set<String> curves() {
        return profile.defaultPolicy().ellipticCurves();
    }

    private List<X509Certificate> combinedPool() {
        List<X509Certificate> pool = new ArrayList<>(intermediates);
        pool.addAll(credentials.chain());
        return pool;
    }

    private void writeOuterHeaders(Map<String, String> headers, OutputStream out, String subject, String smimeType)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean subjectWritten = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-") || lower.equals("mime-version") || lower.equals("bcc")
                || lower.equals("x-kom-le-version")) {
                continue;
            }
            if (subject != null && lower.equals("subject")) {
                sb.append("Subject: ").append(subject).append("\r\n");
                subjectWritten = true;
                continue;
            }
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (subject != null && !subjectWritten) {
            sb.append("Subject: ").append(subject).append("\r\n");
        }
        if (profile == SmimeProfile.KIM) {
            sb.append("X-KOM-LE-Version: ").append(KOM_LE_VERSION).append("\r\n");
        }
        sb.append("MIME-Version: 1.0\r\n")
                .append("Content-Type: application/pkcs7-mime; smime-type=").append(smimeType).append("; name=smime.p7m\r\n")
                .append("Content-Transfer-Encoding: base64\r\n")
                .append("Content-Disposition: attachment; filename=smime.p7m\r\n")
                .append("Content-Description: S/MIME Encrypted Message\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private OutputStream openEnvelope(List<Map.Entry<String, X509Certificate>> recipients, OutputStream out)
            throws CMSException, IOException {
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        try {
            for (Map.Entry<String, X509Certificate> entry : recipients) {
                generator.addRecipientInfoGenerator(rsa.recipientInfo(entry.getValue(), null));
            }
        } catch (CertificateEncodingException e) {
            throw new CMSException("recipient certificate cannot be encoded", e);
        }
        // the JVM's AES provider (BulkCrypto): every byte of the message passes through this cipher
        return generator.open(out, new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build());
    }

    private OutputStream openAuthEnvelope(List<Map.Entry<String, X509Certificate>> recipients, OutputStream out)
            throws CMSException, IOException {
        CMSAuthEnvelopedDataStreamGenerator generator = new CMSAuthEnvelopedDataStreamGenerator();
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
        AlgorithmIdentifier oaep = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
                new RSAESOAEPparams(sha256, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha256),
                        RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
        try {
            for (Map.Entry<String, X509Certificate> entry : recipients) {
                X509Certificate c = entry.getValue();
                // RSA certificates: OAEP key transport; EC certificates (ECC cards): ECDH key agreement
                generator.addRecipientInfoGenerator(EcKeys.isEc(c.getPublicKey()) ? EcOperations.recipientInfo(c)
                        : rsa.recipientInfo(c, oaep));
            }
        } catch (CertificateEncodingException e) {
            throw new CMSException("recipient certificate cannot be encoded", e);
        } catch (java.security.GeneralSecurityException e) {
            throw new CMSException("cannot agree a key with an EC recipient: " + e.getMessage(), e);
        }
        Attribute emails = recipientEmails(recipients);
        CMSAttributeTableGenerator unauth = parameters -> new AttributeTable(emails);
        generator.setUnauthenticatedAttributeGenerator(unauth);
        OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                .setProvider(CertificateChecks.BC).build();
        return generator.open(out, encryptor);
    }

    static Attribute recipientEmails(List<Map.Entry<String, X509Certificate>> recipients) {
        ASN1EncodableVector entries = new ASN1EncodableVector();
        for (Map.Entry<String, X509Certificate> r : recipients) {
            X509Certificate c = r.getValue();
            IssuerAndSerialNumber ias = new IssuerAndSerialNumber(
                    X500Name.getInstance(c.getIssuerX500Principal().getEncoded()), c.getSerialNumber());
            entries.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new DERIA5String(r.getKey()), new RecipientIdentifier(ias) }));
        }
        return new Attribute(new org.bouncycastle.asn1.ASN1ObjectIdentifier(RECIPIENT_EMAILS_OID),
                new DERSet(new DERSet(entries)));
    }

    /** KV-Connect: multipart/signed with the entity hashed on its way into the envelope, signature part after it. */
    private void writeMultipartSigned(Part entity, OutputStream envelope) throws SmimeException, IOException {
        String boundary = "----=_KVC_" + UUID.randomUUID();
        ascii(envelope, "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;\r\n"
                        + "\tboundary=\"" + boundary + "\"\r\n\r\n"
                        + "This is an S/MIME signed message\r\n\r\n--" + boundary + "\r\n");
        ByteArrayOutputStream signature = new ByteArrayOutputStream(4096);
        CMSSignedDataStreamGenerator generator = signedDataGenerator(null, null);
        try (OutputStream hashing = generator.open(signature, false)) {
            entity.writeTo(new EntityOutput(new TeeOutputStream(envelope, hashing)));
        } catch (MessagingException e) {
            throw new SmimeException("Cannot write the business entity: " + e.getMessage(), e);
        }
        ascii(envelope, "\r\n--" + boundary + "\r\n"
                        + "Content-Type: application/pkcs7-signature; name=smime.p7s; smime-type=signed-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n"
                        + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                        + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n");
        envelope.write(Base64.getMimeEncoder(76, CRLF).encode(signature.toByteArray()));
        ascii(envelope, "\r\n--" + boundary + "--\r\n");
    }

    /** KIM: message/rfc822 wrap of the complete inner mail, opaque SignedData with RSASSA-PSS (ECDSA with an EC key). */
    private void writeOpaqueSigned(Part entity, Map<String, String> headers, List<Map.Entry<String, X509Certificate>> recipients,
                                   OutputStream envelope) throws SmimeException, IOException {
        ascii(envelope, "MIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: binary\r\n"
                        + "Content-Disposition: attachment; filename=smime.p7m\r\n\r\n");
        CMSSignedDataStreamGenerator generator = signedDataGenerator(RsaOperations.PSS, recipientEmails(recipients));
        try (OutputStream content = generator.open(new NonClosing(envelope), true)) {
            StringBuilder inner = new StringBuilder("Content-Type: message/rfc822\r\n\r\n");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                String lower = h.getKey().toLowerCase(Locale.ROOT);
                // Bcc never travels, not even encrypted: every recipient would learn the blind copies
                if (!lower.startsWith("content-") && !lower.equals("mime-version") && !lower.equals("bcc")) {
                    inner.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
                }
            }
            inner.append("MIME-Version: 1.0\r\n");
            ascii(content, inner.toString());
            entity.writeTo(new EntityOutput(content));
        } catch (MessagingException e) {
            throw new SmimeException("Cannot write the business entity: " + e.getMessage(), e);
        }
    }

    /**
     * SHA256withRSA (PKCS#1 v1.5) if {@code pss} is null, else RSASSA-PSS; on the configured RSA provider. An EC key
     * (KIM only, checked in {@code write}) signs with ECDSA-SHA256 instead, on Bouncy Castle.
     */
    private CMSSignedDataStreamGenerator signedDataGenerator(PSSParameterSpec pss, Attribute signedAttribute)
            throws SmimeException {
        try {
            // what JcaSignerInfoGeneratorBuilder does, with the certificate converted once per writer, not per message
            SignerInfoGeneratorBuilder infoBuilder = new SignerInfoGeneratorBuilder(BulkCrypto.digests(), ENCRYPTION_ALGORITHMS);
            // signingTime given here, so the generator does not format it with a new SimpleDateFormat (same bytes)
            ASN1EncodableVector attributes = new ASN1EncodableVector();
            attributes.add(SigningTime.at(java.time.Instant.now()));
            if (signedAttribute != null) {
                attributes.add(signedAttribute);
            }
            infoBuilder.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)));
            PrivateKey key = credentials.privateKey();
            SignerInfoGenerator info = infoBuilder.build(EcKeys.isEc(key) ? EcOperations.signer(key) : rsa.signer(key, pss),
                    signerHolder);
            CMSSignedDataStreamGenerator generator = new CMSSignedDataStreamGenerator();
            generator.addSignerInfoGenerator(info);
            generator.addCertificates(carriedCertificates);
            return generator;
        } catch (OperatorCreationException | CMSException e) {
            throw new SmimeException("Cannot create the signature with the configured key: " + e.getMessage(), e);
        }
    }

    private static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes to two streams: the envelope and the signature hash. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeOutputStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int v) throws IOException {
            a.write(v);
            b.write(v);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    /** Lets inner encoders finish without closing the caller's stream. */
    static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** Configures a {@link SmimeWriter}. */
    public static final class Builder {
        private SmimeProfile profile = SmimeProfile.KVCONNECT;
        private SmimeCredentials credentials;
        private CertificateResolver resolver;
        private Collection<X509Certificate> trustAnchors = List.of();
        private Collection<X509Certificate> intermediates = List.of();
        private Collection<java.security.cert.X509CRL> crls = List.of();
        private Clock clock = Clock.systemUTC();
        private java.security.Provider rsaProvider;
        private CertificatePathCache pathCache;

        /** Wire format; default {@link SmimeProfile#KVCONNECT}. */
        public Builder profile(SmimeProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * The sender's key and certificate chain (leaf first); required. An RSA key signs with SHA256withRSA
         * (KV-Connect) or RSASSA-PSS (KIM); an EC key (KIM only, the ECC keys of SMC-B/HBA G2.1 cards) with
         * ECDSA-SHA256, and the sender's own EC certificate gets an ECDH key agreement entry.
         */
        public Builder credentials(SmimeCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Finds the recipients' encryption certificates; required. */
        public Builder certificateResolver(CertificateResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /**
         * CA certificates that recipients' certificates must chain to. Empty (default): only validity period, key
         * usage and key size are checked.
         */
        public Builder trustAnchors(Collection<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(anchors);
            return this;
        }

        /** Intermediate CA certificates used to build recipients' paths. */
        public Builder intermediates(Collection<X509Certificate> intermediates) {
            this.intermediates = List.copyOf(intermediates);
            return this;
        }

        /**
         * Certificate revocation lists (see {@link Crls#read}) to check the recipients' and the own certificate's
         * paths against, as {@link SmimeReader.Builder#crls} does for signers: a certificate listed in a current CRL of
         * its issuer makes {@code write} fail with a {@link CertificateProblemsException} naming the address ("certificate
         * revoked"), nothing written. Certificates whose issuer has no current CRL here are not checked (soft fail).
         * Needs {@link #trustAnchors}; without them no path, hence no revocation, is checked. With CRLs, accepted paths
         * are not remembered between messages (a CRL published later must take effect). Default none: not checked.
         */
        public Builder crls(Collection<java.security.cert.X509CRL> crls) {
            this.crls = List.copyOf(crls);
            return this;
        }

        /** Clock for certificate validity checks; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * JCA provider for the RSA operations: the signature and the key transport to each recipient (EC keys and EC
         * recipients always use Bouncy Castle, whatever is set here). Null (default):
         * SHA256withRSA on the JVM's default for the key, RSASSA-PSS and key transport on Bouncy Castle. A native
         * provider such as the Amazon Corretto Crypto Provider ({@link RsaProviders#accelerated()}) is several times
         * faster; the bytes on the wire are the same. The key must be one the provider accepts (a software RSA key).
         * {@link #build()} checks that the provider offers the RSA services used
         * ({@link RsaProviders#requireRsaServices}) and throws {@link UnsuitableRsaProviderException} otherwise.
         */
        public Builder rsaProvider(java.security.Provider provider) {
            this.rsaProvider = provider;
            return this;
        }

        /**
         * Remember accepted certificate paths in this cache, shared with other writers and readers (e.g. the ones an
         * application builds per message), instead of in one of this writer's own. See {@link CertificatePathCache}
         * for when a remembered path is used; with {@link #crls} it is not. Null (default): a cache of this writer.
         */
        public Builder pathCache(CertificatePathCache cache) {
            this.pathCache = cache;
            return this;
        }

        public SmimeWriter build() {
            return new SmimeWriter(this);
        }
    }
}
