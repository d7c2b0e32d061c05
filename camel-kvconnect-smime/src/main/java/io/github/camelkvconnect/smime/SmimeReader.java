package io.github.camelkvconnect.smime;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfoParser;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.util.Store;

/**
 * Decrypts and verifies transport messages (KV-Connect and/or KIM). Finds the RecipientInfo of the configured key among
 * all of them, unwraps nested layers (a complete KV-Connect message inside a signed part, as in the real reference
 * vector), and reports the signature check as a {@link VerificationResult} without throwing. Every decryption problem
 * raises {@link SmimeDecryptionException} with a {@link DecryptionFailure} reason.
 * <p>
 * KIM with ECC (newer TI cards): a KeyAgreeRecipientInfo (ECDH, AES key wrap) is opened with an EC key as a
 * KeyTransRecipientInfo is with an RSA key, with the same reasons on failure and the same cap on entries; ECDSA
 * signatures are verified under the profile's {@link AlgorithmPolicy#ellipticCurves() curves}.
 * <p>
 * Content is streamed through owner-only temporary files in {@link Builder#workDirectory(Path)}; the result owns the
 * last one and deletes it on close. Small messages ({@link Builder#inMemoryBytes(long)}) are read in memory and need no
 * file. Thread-safe; build once and reuse.
 */
public final class SmimeReader {

    private final List<SmimeProfile> profiles;
    private final Map<SmimeProfile, AlgorithmPolicy> policies;
    /** Our keys with their certificates (null certificate: key only, so every RecipientInfo has to be tried). */
    private final List<DecryptionKey> keys;
    private final List<X509Certificate> trustAnchors;
    private final List<X509Certificate> intermediates;
    private final List<java.security.cert.X509CRL> crls;
    private final Instant validationTime;
    private final Clock clock;
    private final SmimeLimits limits;
    private final Path workDirectory;
    private final RsaOperations rsa;
    private final long inMemoryBytes;
    /** PKIX-accepted paths: the builder's shared cache, or one of this instance. */
    private final CertificatePathCache validPaths;
    private final ConvertedCertificates convertedCertificates = new ConvertedCertificates();

    private SmimeReader(Builder b) {
        if (b.privateKey == null) {
            throw new IllegalStateException("credentials or a private key are required to decrypt");
        }
        this.profiles = List.copyOf(b.profiles);
        this.policies = new EnumMap<>(b.policies);
        List<DecryptionKey> all = new ArrayList<>();
        all.add(new DecryptionKey(b.privateKey, holder(b.ownCertificate)));
        for (SmimeCredentials previous : b.previousCredentials) {
            if (!previous.certificate().equals(b.ownCertificate)) {
                all.add(new DecryptionKey(previous.privateKey(), holder(previous.certificate())));
            }
        }
        this.keys = List.copyOf(all);
        this.trustAnchors = List.copyOf(b.trustAnchors);
        this.intermediates = List.copyOf(b.intermediates);
        this.crls = List.copyOf(b.crls);
        this.validPaths = b.pathCache != null ? b.pathCache : new CertificatePathCache();
        this.validationTime = b.validationTime;
        this.clock = b.clock;
        this.limits = b.limits;
        this.workDirectory = b.workDirectory;
        // a provider without the RSA services used fails here, when the writer/reader is built, not on a message
        this.rsa = RsaOperations.on(b.rsaProvider == null ? null : RsaProviders.requireRsaServices(b.rsaProvider));
        this.inMemoryBytes = b.inMemoryBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * With our own certificate(s) configured and none named by a RecipientInfo, at most this many RecipientInfos are
     * trial-decrypted (e.g. a certificate re-issued for the same key): each trial is an RSA private-key operation, and
     * a hostile message may carry hundreds of bogus entries.
     */
    static final int MAX_TRIALS_WITH_CERTIFICATE = 3;

    /** One private key of ours and its certificate (null when only the key is known). */
    private record DecryptionKey(PrivateKey privateKey, X509CertificateHolder certificate) {
        boolean isNamedBy(RecipientId id) {
            // issuer and serial number, or subject key identifier (RFC 5652 allows both, for ktri and kari alike)
            return certificate != null && id.match(certificate);
        }

        /** An RSA key opens key-transport entries, an EC key key-agreement entries (ECDH). */
        boolean fits(RecipientId id) {
            return (id instanceof KeyAgreeRecipientId) == EcKeys.isEc(privateKey);
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return certificate == null ? null : new X509CertificateHolder(certificate.getEncoded());
        } catch (IOException | java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("The own certificate cannot be encoded", e);
        }
    }

    /** Reads a transport message from a stream (spooled to an owner-only temporary file first; the stream is not closed). */
    public DecryptedMessage read(InputStream transport) throws SmimeException, IOException {
        Path spool = TempFiles.create(workDirectory, "in-");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 64 * 1024)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = transport.read(buf)) != -1) {
                    total += n;
                    if (total > limits.maxMessageBytes()) {
                        throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The message is larger than "
                                + limits.maxMessageBytes() + " bytes (limit maxMessageBytes); it is refused");
                    }
                    out.write(buf, 0, n);
                }
            }
            return read(spool);
        } finally {
            TempFiles.deleteQuietly(spool);
        }
    }

    /**
     * Decrypts and verifies the transport message in {@code transport} (left untouched).
     *
     * @throws SmimeDecryptionException the message cannot be decrypted or is malformed or over a limit
     */
    public DecryptedMessage read(Path transport) throws SmimeException, IOException {
        if (Files.size(transport) > limits.maxMessageBytes()) {
            throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The message is larger than "
                    + limits.maxMessageBytes() + " bytes (limit maxMessageBytes); it is refused");
        }
        Session session = new Session();
        boolean success = false;
        try {
            DecryptedMessage result = session.run(transport);
            success = true;
            return result;
        } finally {
            if (!success) {
                session.temp.forEach(TempFiles::deleteQuietly);
            }
        }
    }

    /** Default of {@link Builder#inMemoryBytes(long)}. */
    public static final long DEFAULT_IN_MEMORY_BYTES = 1024 * 1024;

    /** State of one read: temp files, the layer loop, the verification outcome. */
    private final class Session {
        private final List<Path> temp = new ArrayList<>();
        private boolean inMemory;
        private VerificationResult verification;
        private SmimeProfile profile;
        private int layers;
        private boolean unencryptedPart;

        private Path newTemp(String prefix) throws IOException {
            Path p = TempFiles.create(workDirectory, prefix);
            temp.add(p);
            return p;
        }

        private void discard(Path p) {
            if (temp.remove(p)) {
                TempFiles.deleteQuietly(p);
            }
        }

        /** Where the next intermediate layer goes: memory for a small message, else an owner-only temporary file. */
        private Layer.Target newLayer(String prefix) throws IOException {
            return inMemory ? Layer.memory() : Layer.file(newTemp(prefix));
        }

        private void discard(Layer layer) {
            if (layer instanceof Layer.InFile f) {
                discard(f.file());
            }
        }

        DecryptedMessage run(Path transport) throws SmimeException, IOException {
            inMemory = Files.size(transport) <= inMemoryBytes;
            MimeFiles.Entity outer = MimeFiles.read(transport, limits);
            MimeFiles.Entity current = outer;
            if (outer.is("multipart/mixed")) {
                current = encryptedPartOf(outer);
            }
            InternetHeaders messageHeaders = outer.headers();
            boolean entityIsInnerMail = false;
            for (int depth = 0; ; depth++) {
                if (depth > limits.maxNestingDepth()) {
                    throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "More than "
                            + limits.maxNestingDepth() + " nested layers (limit maxNestingDepth); the message is refused");
                }
                if (current.isPkcs7Mime()) {
                    if (!current.transferEncoding().equals("base64") && MimeFiles.bodyIsMessage(current)) {
                        // A gateway wrapped a complete KV-Connect message (own headers + base64 body) as a 7bit part.
                        Layer embedded = MimeFiles.copyBody(current, newLayer("embedded-"));
                        discardUnlessTransport(current.source(), transport);
                        current = MimeFiles.read(embedded, limits);
                        messageHeaders = current.headers();
                        continue;
                    }
                    Layer der = MimeFiles.copyBody(current, newLayer("cms-"));
                    ASN1ObjectIdentifier type;
                    try {
                        type = contentTypeOf(der);
                    } catch (SmimeDecryptionException e) {
                        if (layers > 0 && isSignedDataPart(current)) {
                            // Inside the decryption the signature layer is unreadable (e.g. a tool converted the line
                            // endings of the binary DER): deliver the decrypted entity, flagged, rather than lose it.
                            discard(der);
                            record(VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the SignedData layer is not "
                                    + "valid DER (" + e.reason() + "); the signature cannot be checked"));
                            break;
                        }
                        throw e;
                    }
                    discardUnlessTransport(current.source(), transport);
                    if (CMSObjectIdentifiers.envelopedData.equals(type) || CMSObjectIdentifiers.authEnvelopedData.equals(type)) {
                        Layer plain = decrypt(der, type);
                        discard(der);
                        layers++;
                        current = MimeFiles.read(plain, limits);
                    } else if (CMSObjectIdentifiers.signedData.equals(type)) {
                        Layer.Target target = newLayer("signed-");
                        VerificationResult v = verifyOpaque(der, target, messageHeaders);
                        Layer content = target.layer();
                        discard(der);
                        record(v);
                        current = MimeFiles.read(content, limits);
                        if (current.is("message/rfc822")) {
                            Layer inner = MimeFiles.copyBody(current, newLayer("inner-"));
                            discard(content);
                            current = MimeFiles.read(inner, limits);
                            messageHeaders = current.headers();
                            entityIsInnerMail = true;
                            // re-check the signer against the signed inner From (the header integrity of KIM)
                            verification = recheckAddress(verification, messageHeaders);
                            break;
                        }
                    } else if (CMSObjectIdentifiers.compressedData.equals(type)) {
                        throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED,
                                "CMS CompressedData is refused (decompression bombs); ask the sender not to compress");
                    } else {
                        throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                                "Unsupported CMS content type " + type + " in an application/pkcs7-mime part");
                    }
                } else if (current.is("multipart/signed")) {
                    MimeFiles.SignedParts parts = MimeFiles.splitSigned(current, newLayer("content-"), limits);
                    org.bouncycastle.asn1.ASN1Primitive signature = checkAsn1Depth(parts.signature());
                    record(verifyDetached(parts, signature, messageHeaders));
                    discardUnlessTransport(current.source(), transport);
                    current = MimeFiles.read(parts.content(), limits);
                } else {
                    break;
                }
            }
            if (layers == 0) {
                throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME, "The message is not encrypted ("
                        + current.contentType().getBaseType() + "); KV-Connect and KIM messages must be S/MIME encrypted");
            }
            if (verification == null) {
                verification = VerificationResult.of(VerificationStatus.UNSIGNED, "the content carries no signature");
            }
            if (unencryptedPart) {
                verification = new VerificationResult(VerificationStatus.UNENCRYPTED_PART, verification.signerAddress(),
                        verification.signer(), "the transport message holds parts outside the encryption");
            }
            InternetHeaders inner = entityIsInnerMail || messageHeaders != outer.headers() ? messageHeaders : outer.headers();
            DecryptedMessage result;
            if (current.source() instanceof Layer.InMemory bytes) {
                // a small message: the entity stays in memory, a file is written only if the caller asks for one
                temp.forEach(TempFiles::deleteQuietly);
                temp.clear();
                result = new DecryptedMessage(profile, outer.headers(), inner, bytes, workDirectory, verification, layers);
            } else {
                Path entityFile;
                if (current.source() instanceof Layer.InFile f && temp.contains(f.file())) {
                    entityFile = f.file();
                } else {
                    // still the transport file itself (never hand out the caller's file): the result owns a copy
                    entityFile = newTemp("entity-");
                    try (InputStream in = current.source().open(); OutputStream out = Files.newOutputStream(entityFile)) {
                        in.transferTo(out);
                    }
                }
                result = new DecryptedMessage(profile, outer.headers(), inner, entityFile, verification, layers,
                        List.of(entityFile));
                temp.remove(entityFile);
                temp.forEach(TempFiles::deleteQuietly);
                temp.clear();
                temp.add(entityFile);
            }
            try {
                // a single part has no parts to count or nest: parse the MIME tree only for a multipart entity
                if (current.is("multipart/*")) {
                    checkStructure(result);
                }
            } catch (SmimeException | IOException | RuntimeException e) {
                result.close();
                throw e;
            }
            temp.clear();
            return result;
        }

        private boolean isSignedDataPart(MimeFiles.Entity entity) {
            String type = entity.contentType().getParameter("smime-type");
            return type != null && type.equalsIgnoreCase("signed-data");
        }

        private void discardUnlessTransport(Layer layer, Path transport) {
            if (layer instanceof Layer.InFile f && !f.file().equals(transport)) {
                discard(f.file());
            }
        }

        /** The first failing layer decides; if all are valid, the innermost signer is reported. */
        private void record(VerificationResult v) {
            if (verification == null || verification.isValid()) {
                verification = v;
            }
        }

        /** A multipart/mixed transport: use its encrypted part and remember that something travels in clear. */
        private MimeFiles.Entity encryptedPartOf(MimeFiles.Entity outer) throws IOException, SmimeException {
            Layer.Target part = newLayer("part-");
            Path transportFile = ((Layer.InFile) outer.source()).file();
            try (DecryptedMessage view = new DecryptedMessage(null, outer.headers(), outer.headers(), transportFile,
                    VerificationResult.of(VerificationStatus.UNSIGNED, null), 0, List.of())) {
                Multipart mp = (Multipart) view.businessEntity().getContent();
                Part encrypted = null;
                for (int i = 0; i < mp.getCount(); i++) {
                    Part p = mp.getBodyPart(i);
                    if (p.isMimeType("application/pkcs7-mime") || p.isMimeType("application/x-pkcs7-mime")) {
                        encrypted = encrypted == null ? p : encrypted;
                    }
                }
                if (encrypted == null) {
                    throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                            "The message is not encrypted (multipart/mixed without an application/pkcs7-mime part)");
                }
                unencryptedPart = mp.getCount() > 1;
                try (OutputStream out = part.open()) {
                    encrypted.writeTo(out);
                }
            } catch (MessagingException | ClassCastException e) {
                throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME, "The multipart message cannot be parsed", e);
            }
            return MimeFiles.read(part.layer(), limits);
        }

        private Layer decrypt(Layer der, ASN1ObjectIdentifier type) throws SmimeException, IOException {
            boolean auth = CMSObjectIdentifiers.authEnvelopedData.equals(type);
            AlgorithmPolicy policy = null;
            for (SmimeProfile p : profiles) {
                AlgorithmPolicy candidate = policies.get(p);
                if (candidate.envelopeContentTypes().contains(type.getId())) {
                    policy = candidate;
                    if (profile == null) {
                        profile = p;
                    }
                    break;
                }
            }
            if (policy == null) {
                throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED, (auth ? "AuthEnvelopedData"
                        : "EnvelopedData") + " is not accepted by the configured profile(s) " + profiles
                        + "; the sender uses another S/MIME profile");
            }
            List<RecipientId> candidates = new ArrayList<>();
            RecipientId ownRid = null;
            DecryptionKey ownKey = null;
            RecipientInformation ownInfo = null;
            boolean cbc = false;
            // kept open when a RecipientInfo names our certificate: its content follows on this stream, so the
            // envelope is parsed once (decryptWith closes it); otherwise closed here
            InputStream in = der.open();
            boolean handedOver = false;
            try {
                RecipientInformationStore store;
                if (auth) {
                    CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(in);
                    checkCipher(policy, parser.getEncAlgOID());
                    GCMParameters gcm;
                    try {
                        gcm = GCMParameters.getInstance(parser.getEncAlgParams());
                    } catch (RuntimeException e) {
                        throw new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, "The GCM parameters are damaged", e);
                    }
                    if (gcm.getIcvLen() < policy.minGcmTagBytes()) {
                        throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED, "The GCM tag has "
                                + gcm.getIcvLen() * 8 + " bits; at least " + policy.minGcmTagBytes() * 8 + " are required");
                    }
                    store = parser.getRecipientInfos();
                } else {
                    CMSEnvelopedDataParser parser = new CMSEnvelopedDataParser(in);
                    checkCipher(policy, parser.getEncryptionAlgOID());
                    cbc = AlgorithmPolicy.AES256_CBC.equals(parser.getEncryptionAlgOID());
                    store = parser.getRecipientInfos();
                }
                if (store.size() > limits.maxRecipientInfos()) {
                    throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The message has " + store.size()
                            + " recipient entries, more than " + limits.maxRecipientInfos()
                            + " (limit maxRecipientInfos); it is refused");
                }
                int ownRank = Integer.MAX_VALUE;
                for (RecipientInformation r : store.getRecipients()) {
                    // key transport (RSA) and key agreement (ECDH, KIM with ECC cards); other kinds are not ours
                    RecipientId id = r.getRID();
                    String refusal;
                    if (r instanceof KeyTransRecipientInformation && id instanceof KeyTransRecipientId) {
                        refusal = policy.keyTransportAlgorithms().contains(r.getKeyEncryptionAlgOID()) ? null
                                : "Key transport " + r.getKeyEncryptionAlgOID() + " is not allowed by the profile";
                    } else if (r instanceof KeyAgreeRecipientInformation kari && id instanceof KeyAgreeRecipientId) {
                        refusal = EcOperations.refusal(policy, kari);
                    } else {
                        continue;
                    }
                    int rank = rankOf(id);
                    if (rank >= 0) {
                        if (refusal != null) {
                            throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED, refusal);
                        }
                        if (rank < ownRank) {
                            // several of our certificates named: the first configured (the current one) wins
                            ownRank = rank;
                            ownRid = id;
                            ownKey = keys.get(rank);
                        }
                    } else if (refusal == null && keys.stream().anyMatch(k -> k.fits(id))) {
                        candidates.add(id);
                    }
                }
                if (ownRid != null) {
                    ownInfo = store.get(ownRid);
                    handedOver = ownInfo != null;
                }
            } catch (CMSException | IOException | RuntimeException e) {
                // Bouncy Castle reports malformed ASN.1 (unknown tag, bad length) as IOException
                throw new SmimeDecryptionException(classifyStructure(e), "The encrypted data cannot be parsed", e);
            } finally {
                if (!handedOver) {
                    in.close();
                }
            }
            if (ownRid != null) {
                return decryptWith(der, handedOver ? in : null, ownInfo, auth, cbc, ownRid, ownKey.privateKey(), true);
            }
            // No entry names a certificate of ours: trial decryption. With only a key, every entry (at most
            // maxRecipientInfos); with certificates, a few, since each trial costs an RSA private-key operation.
            boolean keyOnly = keys.stream().allMatch(k -> k.certificate() == null);
            int trials = keyOnly ? candidates.size() : Math.min(candidates.size(), MAX_TRIALS_WITH_CERTIFICATE);
            boolean allTruncated = trials > 0;
            for (RecipientId rid : candidates.subList(0, trials)) {
                for (DecryptionKey key : keys) {
                    if (!key.fits(rid)) {
                        continue;
                    }
                    try {
                        return decryptWith(der, null, null, auth, cbc, rid, key.privateKey(), false);
                    } catch (SmimeDecryptionException e) {
                        allTruncated &= e.reason() == DecryptionFailure.TRUNCATED;
                    }
                }
            }
            throw new SmimeDecryptionException(allTruncated ? DecryptionFailure.TRUNCATED
                    : DecryptionFailure.NO_MATCHING_RECIPIENT,
                    allTruncated ? "The encrypted data is incomplete; ask the sender to send the message again"
                            : "The message is not encrypted for the configured key (none of its "
                              + "recipient entries opens with it); check that the right key or keystore is configured");
        }

        /**
         * Index of our key whose certificate the RecipientInfo names and which can open its kind (0 = the current one),
         * or -1: a key agreement entry naming our RSA certificate is as foreign as before ECC support.
         */
        private int rankOf(RecipientId id) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).isNamedBy(id) && keys.get(i).fits(id)) {
                    return i;
                }
            }
            return -1;
        }

        private void checkCipher(AlgorithmPolicy policy, String oid) throws SmimeDecryptionException {
            if (!policy.contentCiphers().contains(oid)) {
                throw new SmimeDecryptionException(DecryptionFailure.ALGORITHM_NOT_ALLOWED,
                        "Content cipher " + oid + " is not allowed by the profile");
            }
        }

        /**
         * Decrypts the content for one RecipientInfo into a temp file. With {@code ours} (the RecipientInfo names our
         * certificate) failures are classified precisely; in trial mode every failure means "not this one".
         * {@code parsed}, if not null, is the RecipientInfo already parsed from {@code parsedStream}, whose content
         * follows on that stream (closed here); else the envelope is parsed anew from {@code der}.
         */
        private Layer decryptWith(Layer der, InputStream parsedStream, RecipientInformation parsed, boolean auth,
                                  boolean cbc, RecipientId rid, PrivateKey privateKey, boolean ours)
                throws SmimeException, IOException {
            Layer.Target target;
            try {
                target = newLayer("dec-");
            } catch (IOException | RuntimeException e) {
                if (parsedStream != null) {
                    parsedStream.close();
                }
                throw e;
            }
            boolean keyUnwrapped = false;
            boolean pkcs1 = false;
            try (InputStream in = parsedStream != null ? parsedStream : der.open()) {
                RecipientInformation r = parsed != null ? parsed : (auth ? new CMSAuthEnvelopedDataParser(in).getRecipientInfos()
                        : new CMSEnvelopedDataParser(in).getRecipientInfos()).get(rid);
                pkcs1 = PKCSObjectIdentifiers.rsaEncryption.getId().equals(r.getKeyEncryptionAlgOID());
                // the key transport on the configured RSA provider (default BC), ECDH key agreement on BC; the AES-CBC
                // content on the JVM's AES (BulkCrypto), AES-GCM on BC
                Recipient recipient;
                if (r instanceof KeyAgreeRecipientInformation) {
                    recipient = auth ? EcOperations.authEnvelopedRecipient(privateKey)
                            : EcOperations.envelopedRecipient(privateKey, cbc ? BulkCrypto.aesCbcProvider() : null);
                } else {
                    recipient = auth ? rsa.authEnvelopedRecipient(privateKey)
                            : rsa.envelopedRecipient(privateKey, cbc ? BulkCrypto.aesCbcProvider() : null);
                }
                CMSTypedStream typed = r.getContentStream(recipient);
                keyUnwrapped = true;
                try (InputStream content = typed.getContentStream(); OutputStream os = target.open()) {
                    if (!ours) {
                        // trial mode: a wrong RSA PKCS#1 v1.5 key yields a random content key, i.e. garbage; stop
                        // after the first KiB instead of decrypting a large message in vain
                        byte[] head = content.readNBytes(1024);
                        if (!looksLikeMime(head)) {
                            discard(target.layer());
                            throw new SmimeDecryptionException(DecryptionFailure.NO_MATCHING_RECIPIENT,
                                    describe(DecryptionFailure.NO_MATCHING_RECIPIENT));
                        }
                        os.write(head);
                    }
                    content.transferTo(os);
                }
            } catch (CMSException | IOException | RuntimeException e) {
                discard(target.layer());
                DecryptionFailure reason = !keyUnwrapped ? (isTruncation(e) ? DecryptionFailure.TRUNCATED
                        : DecryptionFailure.NO_MATCHING_RECIPIENT) : classifyContent(e, auth);
                if (ours && pkcs1 && reason != DecryptionFailure.TRUNCATED) {
                    // RSA PKCS#1 v1.5 (catalogue R08, Bleichenbacher): bad padding, a content key of the wrong length
                    // and a wrong key (AES-CBC then fails) must look alike to whoever sent the message, or the outcome
                    // is a padding oracle on our private key. One reason, one message, and no cause (it would name
                    // the padding check that failed).
                    throw new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, PKCS1_FAILURE);
                }
                throw new SmimeDecryptionException(reason, describe(reason), e);
            }
            return target.layer();
        }

        /** {@code signature}: the signature part as parsed by {@link #checkAsn1Depth}, null if it is not DER. */
        private VerificationResult verifyDetached(MimeFiles.SignedParts parts, org.bouncycastle.asn1.ASN1Primitive signature,
                                                  InternetHeaders headers) {
            if (signature == null) {
                return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the signature cannot be parsed");
            }
            try {
                // the structure parsed once for the depth check serves the verification too (no second parse)
                CMSSignedData data = new CMSSignedData(new LayerContent(parts.content()),
                        org.bouncycastle.asn1.cms.ContentInfo.getInstance(signature));
                return verifySigners(data.getSignerInfos(), data.getCertificates(), headers);
            } catch (CMSException | RuntimeException e) {
                return VerificationResult.of(VerificationStatus.BAD_SIGNATURE, "the signature cannot be parsed");
            }
        }

        private VerificationResult verifyOpaque(Layer der, Layer.Target contentTarget, InternetHeaders headers)
                throws IOException, SmimeException {
            try (InputStream in = der.open()) {
                CMSSignedDataParser parser = new CMSSignedDataParser(BulkCrypto.digests(), in);
                CMSTypedStream signed = parser.getSignedContent();
                if (signed == null) {
                    throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME, "Opaque SignedData without content");
                }
                try (InputStream content = signed.getContentStream(); OutputStream os = contentTarget.open()) {
                    content.transferTo(os);
                }
                return verifySigners(parser.getSignerInfos(), parser.getCertificates(), headers);
            } catch (org.bouncycastle.operator.OperatorCreationException | CMSException | RuntimeException e) {
                throw new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, "The signed data cannot be parsed", e);
            } catch (IOException e) {
                // malformed or cut-off ASN.1 of the SignedData (Bouncy Castle reports it as IOException)
                throw new SmimeDecryptionException(classifyStructure(e), "The signed data cannot be parsed", e);
            }
        }

        @SuppressWarnings("unchecked")
        private VerificationResult verifySigners(SignerInformationStore signers, Store<X509CertificateHolder> certificates,
                                                 InternetHeaders headers) {
            if (signers.size() == 0) {
                return VerificationResult.of(VerificationStatus.UNSIGNED, "the SignedData has no signer");
            }
            AlgorithmPolicy policy = policies.get(profile != null ? profile : profiles.get(0));
            VerificationResult first = null;
            for (SignerInformation si : signers.getSigners()) {
                VerificationResult v = verifySigner(si, certificates, policy, headers);
                if (first == null || (first.isValid() && !v.isValid())) {
                    first = v;
                }
            }
            return first;
        }

        @SuppressWarnings("unchecked")
        private VerificationResult verifySigner(SignerInformation si, Store<X509CertificateHolder> certificates,
                                                AlgorithmPolicy policy,
                                                InternetHeaders headers) {
            X509Certificate signer = null;
            String address = null;
            try {
                Collection<X509CertificateHolder> matches = certificates.getMatches(si.getSID());
                if (matches.isEmpty()) {
                    return VerificationResult.of(VerificationStatus.INCOMPLETE_CHAIN,
                            "the signer's certificate is not included in the message");
                }
                signer = convertedCertificates.convert(matches.iterator().next());
                address = CertificateChecks.emailOf(signer);
                String weak = SignatureStrength.problem(policy, si, signer.getPublicKey());
                if (weak != null) {
                    return new VerificationResult(VerificationStatus.BAD_SIGNATURE, address, signer, weak);
                }
                // verify with the bare public key: BC would otherwise judge the certificate at the signer's claimed
                // signingTime; validity is checked below at the validation time instead
                PublicKey signerKey = signer.getPublicKey();
                // ECDSA always on Bouncy Castle: the rsaProvider is for RSA only
                if (!si.verify(EcKeys.isEc(signerKey) ? EcOperations.verifier(signerKey)
                        : rsa.verifier(signerKey, si.getEncryptionAlgOID()))) {
                    return new VerificationResult(VerificationStatus.BAD_SIGNATURE, address, signer,
                            "the signature does not match the content");
                }
                List<X509Certificate> pool = new ArrayList<>(intermediates);
                for (X509CertificateHolder h : certificates.getMatches(null)) {
                    pool.add(convertedCertificates.convert(h));
                }
                Date at = Date.from(validationTime != null ? validationTime : clock.instant());
                CertificateChecks.PathOutcome path = CertificateChecks.validatePath(signer, pool, trustAnchors, at,
                        validPaths, crls);
                if (path.status() != VerificationStatus.VALID) {
                    return new VerificationResult(path.status(), address, signer, path.detail());
                }
                String usage = CertificateChecks.signingUsageProblem(signer, profile);
                if (usage != null) {
                    return new VerificationResult(VerificationStatus.WRONG_KEY_USAGE, address, signer, usage);
                }
                return checkAddress(new VerificationResult(VerificationStatus.VALID, address, signer, null), headers);
            } catch (CMSException | org.bouncycastle.operator.OperatorCreationException
                     | java.security.cert.CertificateException | RuntimeException e) {
                return new VerificationResult(VerificationStatus.BAD_SIGNATURE, address, signer,
                        "the signature cannot be verified (" + e.getClass().getSimpleName() + ")");
            }
        }

        private VerificationResult recheckAddress(VerificationResult v, InternetHeaders headers) {
            return v != null && v.isValid() ? checkAddress(v, headers) : v;
        }

        /** The signer's certificate must name the From address of the signed message (Sender alone does not count). */
        private VerificationResult checkAddress(VerificationResult v, InternetHeaders headers) {
            String from = headers.getHeader("From", ",");
            Set<String> certAddresses = CertificateChecks.emailsOf(v.signer());
            if (profile == SmimeProfile.KIM && certAddresses.isEmpty()
                && CertificateChecks.isSmcbOrganisationSignature(v.signer())) {
                // KIM signs with the institution's SMC-B, whose certificate carries no e-mail address (the KIM address
                // is bound to it by the directory). Only an SMC-B signature certificate gets this exception: the
                // sender chooses the envelope and thus the profile, so the profile alone must not relax the check.
                return v;
            }
            String fromAddress = null;
            try {
                InternetAddress[] parsed = from == null ? new InternetAddress[0] : InternetAddress.parseHeader(from, false);
                if (parsed.length == 1) {
                    fromAddress = parsed[0].getAddress();
                }
            } catch (jakarta.mail.internet.AddressException e) {
                fromAddress = null;
            }
            if (fromAddress == null || !certAddresses.contains(fromAddress.toLowerCase(Locale.ROOT))) {
                return new VerificationResult(VerificationStatus.SIGNER_ADDRESS_MISMATCH, v.signerAddress(), v.signer(),
                        "the signer certificate (" + v.signerAddress() + ") does not belong to the From address ("
                        + (fromAddress == null ? "none" : fromAddress) + ")");
            }
            return v;
        }

        /** Walks the business entity's MIME tree to enforce part count and nesting limits. */
        private void checkStructure(DecryptedMessage message) throws SmimeException, IOException {
            try {
                int[] count = { 0 };
                walk(message.businessEntity(), 0, count);
            } catch (MessagingException e) {
                throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                        "The decrypted business entity is malformed MIME", e);
            }
        }

        private void walk(Part part, int depth, int[] count) throws MessagingException, IOException, SmimeException {
            if (++count[0] > limits.maxPartCount()) {
                throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED,
                        "More than " + limits.maxPartCount() + " MIME parts (limit maxPartCount); the message is refused");
            }
            if (depth > limits.maxNestingDepth()) {
                throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "MIME nesting deeper than "
                        + limits.maxNestingDepth() + " (limit maxNestingDepth); the message is refused");
            }
            if (part.isMimeType("multipart/*")) {
                Object content = part.getContent();
                if (content instanceof Multipart mp) {
                    for (int i = 0; i < mp.getCount(); i++) {
                        walk(mp.getBodyPart(i), depth + 1, count);
                    }
                }
            }
        }
    }

    /**
     * Refuses a signature whose ASN.1 nesting exceeds the limit (parsers recurse; hostile input could nest deeply).
     * Parsed lazily, one level at a time, so the walk stops at the limit before anything recurses deeper.
     *
     * @return the parsed signature, or null if it is not DER (the verification then reports BAD_SIGNATURE)
     */
    private org.bouncycastle.asn1.ASN1Primitive checkAsn1Depth(byte[] der) throws SmimeDecryptionException {
        try (org.bouncycastle.asn1.ASN1InputStream in = new org.bouncycastle.asn1.ASN1InputStream(der, true)) {
            org.bouncycastle.asn1.ASN1Primitive parsed = in.readObject();
            depth(parsed, 1);
            return parsed;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void depth(org.bouncycastle.asn1.ASN1Primitive o, int level) throws SmimeDecryptionException {
        if (level > limits.maxAsn1Depth()) {
            throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The signature's ASN.1 structure is nested "
                    + "deeper than " + limits.maxAsn1Depth() + " (limit maxAsn1Depth); the message is refused");
        }
        if (o instanceof org.bouncycastle.asn1.ASN1Sequence seq) {
            for (org.bouncycastle.asn1.ASN1Encodable e : seq) {
                depth(e.toASN1Primitive(), level + 1);
            }
        } else if (o instanceof ASN1Set set) {
            for (org.bouncycastle.asn1.ASN1Encodable e : set) {
                depth(e.toASN1Primitive(), level + 1);
            }
        } else if (o instanceof org.bouncycastle.asn1.ASN1TaggedObject tagged && tagged.isExplicit()) {
            depth(tagged.getBaseObject().toASN1Primitive(), level + 1);
        }
    }

    /** The signed content of a detached signature, streamed from its layer into the digest. */
    private record LayerContent(Layer layer) implements org.bouncycastle.cms.CMSProcessable {
        @Override
        public void write(OutputStream out) throws IOException {
            try (InputStream in = layer.open()) {
                in.transferTo(out);
            }
        }

        @Override
        public Object getContent() {
            return layer;
        }
    }

    // Layer.open() buffers without locks: Bouncy Castle's ASN.1 parsers read tags and lengths byte by byte
    private static ASN1ObjectIdentifier contentTypeOf(Layer der) throws IOException, SmimeDecryptionException {
        try (InputStream in = der.open()) {
            ContentInfoParser info = new ContentInfoParser((ASN1SequenceParser) new ASN1StreamParser(in).readObject());
            return info.getContentType();
        } catch (IOException | RuntimeException e) {
            throw new SmimeDecryptionException(isTruncation(e) ? DecryptionFailure.TRUNCATED : DecryptionFailure.CORRUPT_DATA,
                    "The S/MIME body is not a valid CMS structure; ask the sender to send the message again", e);
        }
    }

    private static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof EOFException || m.contains("eof") || m.contains("unexpected end") || m.contains("truncated")
                || m.contains("premature end") || m.contains("out of data")) {
                return true;
            }
        }
        return false;
    }

    private static DecryptionFailure classifyStructure(Throwable e) {
        return isTruncation(e) ? DecryptionFailure.TRUNCATED : DecryptionFailure.CORRUPT_DATA;
    }

    private static DecryptionFailure classifyContent(Throwable e, boolean auth) {
        if (isTruncation(e)) {
            return DecryptionFailure.TRUNCATED;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (auth && (m.contains("mac") || m.contains("tag") || t instanceof javax.crypto.AEADBadTagException)) {
                return DecryptionFailure.AUTHENTICATION_FAILED;
            }
        }
        return DecryptionFailure.CORRUPT_DATA;
    }

    /** The one outcome of every failed RSA PKCS#1 v1.5 key transport to our certificate or of its content. */
    private static final String PKCS1_FAILURE = "The message cannot be decrypted: its encrypted data is damaged or it "
            + "was not encrypted for the configured key; check that the account's current key or keystore is "
            + "configured, otherwise ask the sender to send the message again";

    private static String describe(DecryptionFailure reason) {
        return switch (reason) {
            case NO_MATCHING_RECIPIENT -> "The message cannot be decrypted with the configured key; check that the "
                                          + "account's current key or keystore is configured";
            case TRUNCATED -> "The encrypted data is incomplete; ask the sender to send the message again";
            case AUTHENTICATION_FAILED -> "The encrypted data was altered (authentication tag mismatch); do not trust it "
                                          + "and ask the sender to send it again";
            default -> "The encrypted data is damaged; ask the sender to send the message again";
        };
    }

    private static boolean looksLikeMime(byte[] head) {
        String s = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return s.contains("content-type:") || s.contains("mime-version:");
    }

    /** Configures a {@link SmimeReader}. */
    public static final class Builder {
        private final Set<SmimeProfile> profiles = new LinkedHashSet<>();
        private final Map<SmimeProfile, AlgorithmPolicy> policies = new EnumMap<>(SmimeProfile.class);
        private PrivateKey privateKey;
        private X509Certificate ownCertificate;
        private List<SmimeCredentials> previousCredentials = List.of();
        private Collection<X509Certificate> trustAnchors = List.of();
        private Collection<X509Certificate> intermediates = List.of();
        private Collection<java.security.cert.X509CRL> crls = List.of();
        private Instant validationTime;
        private Clock clock = Clock.systemUTC();
        private SmimeLimits limits = SmimeLimits.defaults();
        private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private java.security.Provider rsaProvider;
        private long inMemoryBytes = DEFAULT_IN_MEMORY_BYTES;
        private CertificatePathCache pathCache;

        private Builder() {
            for (SmimeProfile p : SmimeProfile.values()) {
                policies.put(p, p.defaultPolicy());
            }
        }

        /** Profiles accepted, in order of preference; default {@link SmimeProfile#KVCONNECT} only. */
        public Builder profiles(SmimeProfile... accepted) {
            profiles.clear();
            profiles.addAll(List.of(accepted));
            return this;
        }

        /** Replaces a profile's algorithm policy. */
        public Builder policy(SmimeProfile profile, AlgorithmPolicy policy) {
            policies.put(profile, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Our key and certificate: the RecipientInfo naming the certificate is used. An RSA key opens key-transport
         * entries; an EC key (KIM, ECC cards) opens the ECDH key-agreement entry naming the certificate.
         */
        public Builder credentials(SmimeCredentials credentials) {
            this.privateKey = credentials.privateKey();
            this.ownCertificate = credentials.certificate();
            return this;
        }

        /**
         * Only a private key, certificate unknown: every RecipientInfo the key can open is tried (key transport for an
         * RSA key, key agreement for an EC key; failures are reported uniformly as
         * {@link DecryptionFailure#NO_MATCHING_RECIPIENT}). Clears {@link #previousCredentials}.
         */
        public Builder privateKey(PrivateKey key) {
            this.privateKey = Objects.requireNonNull(key, "key");
            this.ownCertificate = null;
            this.previousCredentials = List.of();
            return this;
        }

        /**
         * Our earlier keys and certificates (e.g. from before a certificate renewal, see
         * {@code PinProtectedKeyStore.loadAll}): a message whose RecipientInfo names one of these certificates is
         * decrypted with that key, so mail encrypted to the old certificate is not lost. Used for decryption only; the
         * {@link #credentials current credentials} are preferred when a message names several of ours.
         */
        public Builder previousCredentials(Collection<SmimeCredentials> previous) {
            this.previousCredentials = List.copyOf(previous);
            return this;
        }

        /** CA certificates the signer must chain to. Empty: every signer is reported UNTRUSTED_CHAIN. */
        public Builder trustAnchors(Collection<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(anchors);
            return this;
        }

        /** Extra intermediate CA certificates for path building (besides those in the message). */
        public Builder intermediates(Collection<X509Certificate> certificates) {
            this.intermediates = List.copyOf(certificates);
            return this;
        }

        /**
         * Certificate revocation lists (see {@link Crls#read}) to check the signer's certificate path against: a
         * certificate listed in a current CRL of its issuer makes the result {@link VerificationStatus#REVOKED}.
         * Certificates whose issuer has no CRL here are not checked. Default none: revocation is not checked.
         */
        public Builder crls(Collection<java.security.cert.X509CRL> crls) {
            this.crls = List.copyOf(crls);
            return this;
        }

        /**
         * Validate certificates at this instant instead of now (archive checks of old messages). The signer's claimed
         * signingTime is never used.
         */
        public Builder validationTime(Instant instant) {
            this.validationTime = instant;
            return this;
        }

        /** Clock for "now"; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder limits(SmimeLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Where owner-only temporary files are created; default {@code java.io.tmpdir}. */
        public Builder workDirectory(Path directory) {
            this.workDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * JCA provider for the RSA operations: the key unwrap (PKCS#1 v1.5 or OAEP) and the verification of PKCS#1
         * v1.5 signatures. ECDH and ECDSA (KIM with ECC cards) always run on Bouncy Castle, whatever is set here.
         * Null (default): Bouncy Castle. A native provider such as the Amazon Corretto Crypto
         * Provider ({@link RsaProviders#accelerated()}) is several times faster. The key must be one the provider
         * accepts (a software RSA key).
         * {@link #build()} checks that the provider offers the RSA services used
         * ({@link RsaProviders#requireRsaServices}) and throws {@link UnsuitableRsaProviderException} otherwise.
         */
        public Builder rsaProvider(java.security.Provider provider) {
            this.rsaProvider = provider;
            return this;
        }

        /**
         * Transport messages up to this many bytes (default 1 MiB) are decrypted and verified in memory: their
         * intermediate layers (CMS, decrypted MIME, signed content) and the business entity never touch the disk; the
         * {@link DecryptedMessage} keeps the entity (at most this size) in memory until closed and writes an
         * owner-only temporary file only if {@link DecryptedMessage#entityFile()} is called. A layer is never larger
         * than the message, so one read holds a few times this much at most. Larger messages stream through
         * owner-only temporary files. 0: always files.
         */
        public Builder inMemoryBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("inMemoryBytes must not be negative");
            }
            this.inMemoryBytes = bytes;
            return this;
        }

        /**
         * Remember accepted certificate paths in this cache, shared with other readers and writers (e.g. the ones an
         * application builds per message), instead of in one of this reader's own. See {@link CertificatePathCache}
         * for when a remembered path is used; with {@link #crls} it is not. Null (default): a cache of this reader.
         */
        public Builder pathCache(CertificatePathCache cache) {
            this.pathCache = cache;
            return this;
        }

        public SmimeReader build() {
            if (profiles.isEmpty()) {
                profiles.add(SmimeProfile.KVCONNECT);
            }
            return new SmimeReader(this);
        }
    }
}
