package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A PKI shaped like KV-Connect's, generated at test time: Root CA → User CA → users with subject emailAddress, UID,
 * CN, O, C=DE, SAN rfc822Name, KU digitalSignature+keyEncipherment, EKU clientAuth+emailProtection, sha512WithRSA CA
 * signatures. {@link #shared()} builds it once per JVM (RSA keys are expensive); users are cached by address and
 * variants. {@link Variant#EC} and {@link #ecUser(String, String)} issue users with EC keys instead (as the ECC keys
 * of SMC-B/HBA G2.1 cards: brainpoolP256r1 by default), key usage digitalSignature+keyAgreement. Also offers an untrusted root with its own user CA, and PEM helpers for the interop vectors.
 */
public final class TestPki {

    /** Ways a user certificate can be broken. */
    public enum Variant {
        EXPIRED, NOT_YET_VALID, NO_DIGITAL_SIGNATURE, NO_KEY_ENCIPHERMENT, NO_EKU, EKU_WITHOUT_EMAIL_PROTECTION, RSA_1024,
        UNTRUSTED_ROOT,
        /**
         * Shaped like a KIM SMC-B organisational signature certificate (C.HCI.OSIG): certificate policy oid_smc_b_osig
         * (1.2.276.0.76.4.78), no extended key usage, no e-mail address (the address given names only the CN).
         */
        SMCB_OSIG,
        /** No e-mail address in the certificate (no SAN, no emailAddress in the subject), EKU as usual. */
        NO_EMAIL,
        /** An EC key on brainpoolP256r1 instead of RSA; key usage digitalSignature+keyAgreement. */
        EC,
        /** With an EC key: key usage without keyAgreement (digitalSignature only). */
        NO_KEY_AGREEMENT
    }

    /** The curve of {@link Variant#EC}: the one of the TI smartcards' ECC keys. */
    public static final String DEFAULT_CURVE = "brainpoolP256r1";

    private static volatile TestPki shared;

    private final AtomicLong serial = new AtomicLong(System.currentTimeMillis());
    private final SmimeCredentials root;
    private final SmimeCredentials userCa;
    private final SmimeCredentials otherRoot;
    private final SmimeCredentials otherUserCa;
    private final Map<String, SmimeCredentials> users = new ConcurrentHashMap<>();
    private volatile SmimeCredentials lookalikeRoot;

    private TestPki() throws Exception {
        root = ca("KVTG Test Root CA", null, 2048);
        userCa = ca("KVTG Test User CA", root, 2048);
        otherRoot = ca("Unrelated Root CA", null, 2048);
        otherUserCa = ca("Unrelated User CA", otherRoot, 2048);
    }

    /** The PKI of this JVM. */
    public static TestPki shared() {
        TestPki p = shared;
        if (p == null) {
            synchronized (TestPki.class) {
                p = shared;
                if (p == null) {
                    try {
                        p = new TestPki();
                    } catch (Exception e) {
                        throw new IllegalStateException("Cannot build the test PKI", e);
                    }
                    shared = p;
                }
            }
        }
        return p;
    }

    public X509Certificate rootCertificate() {
        return root.certificate();
    }

    public X509Certificate userCaCertificate() {
        return userCa.certificate();
    }

    /** The trust anchor set a KV-Connect account would configure: the root. */
    public List<X509Certificate> anchors() {
        return List.of(root.certificate());
    }

    /**
     * A self-signed root named exactly like the trusted root but with another key: a lookalike anchor under which the
     * trusted hierarchy's paths are built the same way but do not validate.
     */
    public X509Certificate lookalikeRootCertificate() {
        SmimeCredentials r = lookalikeRoot;
        if (r == null) {
            synchronized (this) {
                r = lookalikeRoot;
                if (r == null) {
                    try {
                        r = ca("KVTG Test Root CA", null, 2048);
                    } catch (Exception e) {
                        throw new IllegalStateException("Cannot build the lookalike root", e);
                    }
                    lookalikeRoot = r;
                }
            }
        }
        return r.certificate();
    }

    /** A user of the trusted hierarchy (chain: user, user CA). */
    public SmimeCredentials user(String email, Variant... variants) {
        Set<Variant> set = variants.length == 0 ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(List.of(variants));
        return users.computeIfAbsent(email + set, k -> {
            try {
                return issue(email, set, set.contains(Variant.EC) ? DEFAULT_CURVE : null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A user of the trusted hierarchy with an EC key on {@code curve} (Bouncy Castle name: brainpoolP256r1,
     * brainpoolP384r1, brainpoolP512r1, secp256r1, secp384r1, secp256k1, ...), key usage digitalSignature+keyAgreement.
     */
    public SmimeCredentials ecUser(String email, String curve, Variant... variants) {
        Set<Variant> set = variants.length == 0 ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(List.of(variants));
        set.add(Variant.EC);
        return users.computeIfAbsent(email + set + curve, k -> {
            try {
                return issue(email, set, curve);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The user CA's key, to sign CRLs with other dates. */
    public PrivateKey userCaPrivateKey() {
        return userCa.privateKey();
    }

    /** A CRL of the user CA, current now (thisUpdate yesterday, nextUpdate in a week), listing {@code revoked}. */
    public java.security.cert.X509CRL crl(X509Certificate... revoked) {
        Instant now = Instant.now();
        return crl(userCa.privateKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(7)), revoked);
    }

    /** A CRL named as issued by the user CA but signed with {@code key} (another key: a forgery). */
    public java.security.cert.X509CRL crl(PrivateKey key, Instant thisUpdate, Instant nextUpdate, X509Certificate... revoked) {
        try {
            var b = new org.bouncycastle.cert.X509v2CRLBuilder(
                    X500Name.getInstance(userCa.certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (X509Certificate r : revoked) {
                b.addCRLEntry(r.getSerialNumber(), Date.from(thisUpdate), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(
                    BigInteger.valueOf(serial.incrementAndGet())));
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(
                    b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build the test CRL", e);
        }
    }

    /** A resolver over the given users' certificates. */
    public static CertificateResolver resolver(SmimeCredentials... known) {
        Map<String, List<X509Certificate>> byAddress = new ConcurrentHashMap<>();
        for (SmimeCredentials c : known) {
            byAddress.computeIfAbsent(CertificateChecks.emailOf(c.certificate()).toLowerCase(java.util.Locale.ROOT),
                    a -> new ArrayList<>()).add(c.certificate());
        }
        return address -> byAddress.getOrDefault(address.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    private SmimeCredentials issue(String email, Set<Variant> variants, String curve) throws Exception {
        KeyPair keys = curve != null ? ec(curve) : rsa(variants.contains(Variant.RSA_1024) ? 1024 : 2048);
        SmimeCredentials issuer = variants.contains(Variant.UNTRUSTED_ROOT) ? otherUserCa : userCa;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(30));
        Instant to = now.plus(Duration.ofDays(365));
        if (variants.contains(Variant.EXPIRED)) {
            from = now.minus(Duration.ofDays(400));
            to = now.minus(Duration.ofDays(1));
        } else if (variants.contains(Variant.NOT_YET_VALID)) {
            from = now.plus(Duration.ofDays(1));
            to = now.plus(Duration.ofDays(400));
        }
        boolean withEmail = !variants.contains(Variant.SMCB_OSIG) && !variants.contains(Variant.NO_EMAIL);
        X500NameBuilder subjectBuilder = new X500NameBuilder(BCStyle.INSTANCE);
        if (withEmail) {
            subjectBuilder.addRDN(BCStyle.EmailAddress, email);
        }
        X500Name subject = subjectBuilder
                .addRDN(BCStyle.UID, java.util.UUID.randomUUID() + "@95").addRDN(BCStyle.CN, email.split("@")[0])
                .addRDN(BCStyle.O, "KVTG").addRDN(BCStyle.C, "DE").build();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.certificate(), BigInteger.valueOf(serial.incrementAndGet()),
                Date.from(from), Date.from(to), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.certificate()));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        int encryption = curve != null ? (variants.contains(Variant.NO_KEY_AGREEMENT) ? 0 : KeyUsage.keyAgreement)
                : (variants.contains(Variant.NO_KEY_ENCIPHERMENT) ? 0 : KeyUsage.keyEncipherment);
        int usage = (variants.contains(Variant.NO_DIGITAL_SIGNATURE) ? 0 : KeyUsage.digitalSignature) | encryption;
        b.addExtension(Extension.keyUsage, true, new KeyUsage(usage == 0 ? KeyUsage.nonRepudiation : usage));
        if (variants.contains(Variant.EKU_WITHOUT_EMAIL_PROTECTION)) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        } else if (variants.contains(Variant.SMCB_OSIG)) {
            b.addExtension(Extension.certificatePolicies, false, new org.bouncycastle.asn1.x509.CertificatePolicies(
                    new org.bouncycastle.asn1.x509.PolicyInformation(
                            new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.2.276.0.76.4.78"))));
        } else if (!variants.contains(Variant.NO_EKU)) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection }));
        }
        if (withEmail) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        }
        X509Certificate cert = sign(b, issuer.privateKey());
        return new SmimeCredentials(keys.getPrivate(), List.of(cert, issuer.certificate()));
    }

    private SmimeCredentials ca(String cn, SmimeCredentials issuer, int bits) throws Exception {
        KeyPair keys = rsa(bits);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, "KV Telematik Test")
                .addRDN(BCStyle.C, "DE").build();
        Instant now = Instant.now();
        X500Name issuerName = issuer == null ? name : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, BigInteger.valueOf(serial.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(3650))), Date.from(now.plus(Duration.ofDays(3650))), name,
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(issuer == null ? 1 : 0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate cert = sign(b, issuer == null ? keys.getPrivate() : issuer.privateKey());
        return new SmimeCredentials(keys.getPrivate(), issuer == null ? List.of(cert) : List.of(cert, issuer.certificate()));
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA512withRSA").build(key)));
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", CertificateChecks.BC);
        g.initialize(new java.security.spec.ECGenParameterSpec(curve), new SecureRandom());
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits, new SecureRandom());
        return g.generateKeyPair();
    }

    /** The interop vector directory (system property {@code kvconnect.interop.dir}, else ../shared/interop). */
    public static Path interopDir() {
        String dir = System.getProperty("kvconnect.interop.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("../../shared/interop");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("Interop vectors not found at " + p.toAbsolutePath()
                                            + "; set -Dkvconnect.interop.dir");
        }
        return p;
    }

    /** Reads an unencrypted PEM private key (PKCS#1 or PKCS#8). */
    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp).getPrivate();
            }
            return converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
        }
    }

    /** Reads every certificate of a PEM file. */
    public static List<X509Certificate> readCertificates(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            List<X509Certificate> result = new ArrayList<>();
            for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                result.add((X509Certificate) c);
            }
            return result;
        }
    }
}
