package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catalogue R25: an rfc822Name name constraint must not be bypassed with a trailing dot ({@code user@domain.}). A CA
 * constrained to kv-safenet.de cannot vouch for {@code alice@kv-safenet.de.}, and a CA that must not issue for
 * evil.example cannot do so as {@code mallory@evil.example.} (the JDK's PKIX compares the names literally, so the dotted
 * form escapes the excluded subtree: the reader refuses e-mail addresses with a trailing dot itself).
 */
class NameConstraintTest {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static KeyPair rootKeys;
    private static X509Certificate root;
    private static SmimeCredentials permittedCa;
    private static SmimeCredentials excludedCa;
    private static final SmimeCredentials BOB = TestPki.shared().user("bob@kv-safenet.de");

    @TempDir
    Path work;

    @BeforeAll
    static void pki() throws Exception {
        rootKeys = rsa();
        X500Name rootName = new X500Name("CN=Constraint Test Root,O=KV Telematik Test,C=DE");
        JcaX509v3CertificateBuilder b = builder(rootName, rootName, rootKeys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        root = sign(b, rootKeys);
        permittedCa = ca("CN=Only kv-safenet.de CA,O=KV Telematik Test,C=DE",
                new NameConstraints(new GeneralSubtree[] { subtree("kv-safenet.de") }, null));
        excludedCa = ca("CN=Not evil.example CA,O=KV Telematik Test,C=DE",
                new NameConstraints(null, new GeneralSubtree[] { subtree("evil.example") }));
    }

    private static GeneralSubtree subtree(String domain) {
        return new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, domain));
    }

    private static SmimeCredentials ca(String name, NameConstraints constraints) throws Exception {
        KeyPair keys = rsa();
        JcaX509v3CertificateBuilder b = builder(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()), new X500Name(name), keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.nameConstraints, true, constraints);
        return new SmimeCredentials(keys.getPrivate(), List.of(sign(b, rootKeys), root));
    }

    private static SmimeCredentials user(SmimeCredentials ca, String email) throws Exception {
        KeyPair keys = rsa();
        JcaX509v3CertificateBuilder b = builder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + email.split("@")[0] + ",O=KVTG,C=DE"), keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        KeyPair caKeys = new KeyPair(ca.certificate().getPublicKey(), ca.privateKey());
        return new SmimeCredentials(keys.getPrivate(), List.of(sign(b, caKeys), ca.certificate()));
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private VerificationResult receive(SmimeCredentials signer, String from) throws Exception {
        byte[] msg = TestMessages.transport(headers(from, "bob@kv-safenet.de"),
                TestMessages.multipartSigned(TestMessages.toBytes(businessEntity("Befund")), signer, true), BOB.certificate());
        try (DecryptedMessage m = SmimeReader.builder().credentials(BOB).trustAnchors(List.of(root)).workDirectory(work)
                .build().read(new ByteArrayInputStream(msg))) {
            return m.verification();
        }
    }

    @Test
    void addressesInsideThePermittedDomainAreValid() throws Exception {
        VerificationResult v = receive(user(permittedCa, "alice@kv-safenet.de"), "alice@kv-safenet.de");
        assertEquals(VerificationStatus.VALID, v.status(), v.detail());
    }

    @Test
    void trailingDotDoesNotEnterThePermittedDomain() throws Exception {
        VerificationResult v = receive(user(permittedCa, "alice@kv-safenet.de."), "alice@kv-safenet.de.");
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, v.status(), v.detail());
    }

    @Test
    void excludedDomainIsRejected() throws Exception {
        VerificationResult v = receive(user(excludedCa, "mallory@evil.example"), "mallory@evil.example");
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, v.status(), v.detail());
        assertTrue(v.detail().contains("name constraints"), v.detail());
    }

    @Test
    void trailingDotDoesNotEscapeTheExcludedDomain() throws Exception {
        SmimeCredentials mallory = user(excludedCa, "mallory@evil.example.");
        for (String from : List.of("mallory@evil.example.", "mallory@evil.example")) {
            VerificationResult v = receive(mallory, from);
            assertNotEquals(VerificationStatus.VALID, v.status(), from + ": " + v.detail());
            assertEquals(VerificationStatus.UNTRUSTED_CHAIN, v.status(), from + ": " + v.detail());
        }
    }

    /** Sending: a recipient certificate with such an address is not encrypted to either. */
    @Test
    void senderRefusesARecipientCertificateWithATrailingDot() throws Exception {
        SmimeCredentials alice = user(permittedCa, "alice@kv-safenet.de");
        SmimeCredentials mallory = user(excludedCa, "mallory@evil.example.");
        SmimeWriter writer = SmimeWriter.builder().credentials(alice)
                .certificateResolver(address -> List.of(mallory.certificate())).trustAnchors(List.of(root))
                .intermediates(List.of(permittedCa.certificate(), excludedCa.certificate())).build();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CertificateProblemsException e = org.junit.jupiter.api.Assertions.assertThrows(CertificateProblemsException.class,
                () -> writer.write(businessEntity("x"), headers("alice@kv-safenet.de", "mallory@evil.example"), out));
        assertTrue(e.problems().get("mallory@evil.example").contains("trailing dot"), e.getMessage());
        assertEquals(0, out.size());
    }
}
