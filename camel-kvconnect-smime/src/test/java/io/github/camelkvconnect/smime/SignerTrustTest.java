package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.TestPki.Variant;

/**
 * R20 (a back-dated signingTime does not rescue an expired or revoked signer: validation is at now, the signer's
 * claimed time is never used) and R24 (chains that must not be trusted: untrusted root, self-signed signer, fake root with the trusted
 * root's name but another key, circular chain; path building terminates). The attacker's certificates are made here
 * with Bouncy Castle; one attacker key signs all of them.
 */
class SignerTrustTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    private static KeyPair attacker;

    @TempDir
    Path work;

    @BeforeAll
    static void attackerKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        attacker = g.generateKeyPair();
    }

    private SmimeReader reader() {
        return SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build();
    }

    private static VerificationStatus receive(SmimeReader reader, byte[] signedEntity, String from) throws Exception {
        byte[] transport = TestMessages.transport(headers(from, "bob@kv-safenet.de"), signedEntity, BOB.certificate());
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(transport))) {
            return m.verification().status();
        }
    }

    /** A multipart/signed by {@code signer} (certificates {@code chain}) with the given signingTime attribute. */
    private static byte[] signed(PrivateKey key, X509Certificate signer, List<X509Certificate> chain, Instant signingTime)
            throws Exception {
        JcaSignerInfoGeneratorBuilder info = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build());
        if (signingTime != null) {
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
            info.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(v)));
        }
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(info.build(new JcaContentSignerBuilder("SHA256withRSA").build(key), signer));
        g.addCertificates(new JcaCertStore(chain));
        byte[] entity = toBytes(businessEntity("Befund"));
        byte[] sig = g.generate(new CMSProcessableByteArray(entity), false).getEncoded();
        String b = "----=_trust";
        String head = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\""
                      + b + "\"\r\n\r\n--" + b + "\r\n";
        String tail = "\r\n--" + b + "\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                      + "Content-Transfer-Encoding: base64\r\n\r\n"
                      + Base64.getMimeEncoder(76, new byte[] { '\r', '\n' }).encodeToString(sig) + "\r\n--" + b + "--\r\n";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(entity);
        out.writeBytes(tail.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A certificate for {@code subject} issued in the name of {@code issuer}, signed with {@code signingKey}. */
    private static X509Certificate certificate(X500Name subject, X500Name issuer, PublicKey key, PrivateKey signingKey,
                                               boolean ca, String email) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(30))), Date.from(now.plus(Duration.ofDays(365))), subject,
                SubjectPublicKeyInfo.getInstance(key.getEncoded()));
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signingKey)));
    }

    private static X500Name name(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }

    private static X500Name user(String email) {
        return new X500Name("CN=" + email.split("@")[0] + ",O=KVTG,C=DE,E=" + email);
    }

    // ---- R20 ----

    @Test
    void expiredSignerWithBackDatedSigningTimeIsExpiredNow() throws Exception {
        SmimeCredentials old = PKI.user("old@kv-safenet.de", Variant.EXPIRED);
        Instant inValidity = old.certificate().getNotAfter().toInstant().minus(Duration.ofDays(7));
        byte[] msg = signed(old.privateKey(), old.certificate(), old.chain(), inValidity);
        assertEquals(VerificationStatus.EXPIRED, receive(reader(), msg, "old@kv-safenet.de"));
    }

    @Test
    void notYetValidSignerWithForwardDatedSigningTimeIsNotYetValidNow() throws Exception {
        SmimeCredentials early = PKI.user("new@kv-safenet.de", Variant.NOT_YET_VALID);
        Instant inValidity = early.certificate().getNotBefore().toInstant().plus(Duration.ofDays(7));
        byte[] msg = signed(early.privateKey(), early.certificate(), early.chain(), inValidity);
        assertEquals(VerificationStatus.NOT_YET_VALID, receive(reader(), msg, "new@kv-safenet.de"));
    }

    @Test
    void revokedSignerWithSigningTimeBeforeTheRevocationIsRevokedNow() throws Exception {
        // the CRL revokes the signer as of yesterday; the signature claims to be from ten days ago
        SmimeCredentials dave = PKI.user("dave@kv-safenet.de");
        byte[] msg = signed(dave.privateKey(), dave.certificate(), dave.chain(), Instant.now().minus(Duration.ofDays(10)));
        SmimeReader withCrl = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors())
                .crls(List.of(PKI.crl(dave.certificate()))).workDirectory(work).build();
        assertEquals(VerificationStatus.REVOKED, receive(withCrl, msg, "dave@kv-safenet.de"));
        assertEquals(VerificationStatus.VALID, receive(reader(), msg, "dave@kv-safenet.de"), "control: without the CRL");
    }

    @Test
    void signingTimeOutsideAValidSignersValidityChangesNothing() throws Exception {
        // the claimed time is not used either way: a currently valid signer stays VALID whatever it claims
        for (Instant claimed : new Instant[] { Instant.parse("1999-01-01T00:00:00Z"), Instant.parse("2099-01-01T00:00:00Z") }) {
            byte[] msg = signed(ALICE.privateKey(), ALICE.certificate(), ALICE.chain(), claimed);
            assertEquals(VerificationStatus.VALID, receive(reader(), msg, "alice@kv-safenet.de"), claimed.toString());
        }
    }

    // ---- R24 ----

    @Test
    void chainToAnUntrustedRootIsUntrusted() throws Exception {
        SmimeCredentials evil = PKI.user("evil@kv-safenet.de", Variant.UNTRUSTED_ROOT);
        byte[] msg = signed(evil.privateKey(), evil.certificate(), evil.chain(), null);
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, receive(reader(), msg, "evil@kv-safenet.de"));
    }

    @Test
    void selfSignedSignerIsUntrusted() throws Exception {
        X500Name subject = user("mallory@kv-safenet.de");
        X509Certificate self = certificate(subject, subject, attacker.getPublic(), attacker.getPrivate(), false,
                "mallory@kv-safenet.de");
        byte[] msg = signed(attacker.getPrivate(), self, List.of(self), null);
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, receive(reader(), msg, "mallory@kv-safenet.de"));
    }

    @Test
    void selfSignedSignerNamedLikeAKnownUserIsNeverValid() throws Exception {
        // Alice's exact subject and address, self-signed: no chain to the anchor
        X509Certificate fake = certificate(name(ALICE.certificate()), name(ALICE.certificate()), attacker.getPublic(),
                attacker.getPrivate(), false, "alice@kv-safenet.de");
        byte[] msg = signed(attacker.getPrivate(), fake, List.of(fake), null);
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, receive(reader(), msg, "alice@kv-safenet.de"));
    }

    @Test
    void fakeRootWithTheTrustedRootsNameIsUntrusted() throws Exception {
        // root and user CA with the real names but the attacker's key; a user "alice" below them
        X500Name rootName = name(PKI.rootCertificate());
        X500Name caName = name(PKI.userCaCertificate());
        X509Certificate fakeRoot = certificate(rootName, rootName, attacker.getPublic(), attacker.getPrivate(), true, null);
        X509Certificate fakeCa = certificate(caName, rootName, attacker.getPublic(), attacker.getPrivate(), true, null);
        X509Certificate fakeAlice = certificate(name(ALICE.certificate()), caName, attacker.getPublic(), attacker.getPrivate(),
                false, "alice@kv-safenet.de");
        byte[] msg = signed(attacker.getPrivate(), fakeAlice, List.of(fakeAlice, fakeCa, fakeRoot), null);
        SmimeReader reader = reader();
        // the real Alice first, so the reader has accepted (and remembers) the real path with the same names
        assertEquals(VerificationStatus.VALID, receive(reader, signed(ALICE.privateKey(), ALICE.certificate(), ALICE.chain(),
                null), "alice@kv-safenet.de"));
        VerificationStatus status = receive(reader, msg, "alice@kv-safenet.de");
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, status);
        // the fake user CA directly under the real root's name, without the fake root in the message
        byte[] withoutRoot = signed(attacker.getPrivate(), fakeAlice, List.of(fakeAlice, fakeCa), null);
        assertNotEquals(VerificationStatus.VALID, receive(reader, withoutRoot, "alice@kv-safenet.de"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against an endless path search, not a speed requirement
    void circularChainTerminatesUntrusted() throws Exception {
        // CA "Loop A" issued by "Loop B", "Loop B" issued by "Loop A", the signer issued by "Loop A"
        X500Name a = new X500Name("CN=Loop A,O=KV Telematik Test,C=DE");
        X500Name b = new X500Name("CN=Loop B,O=KV Telematik Test,C=DE");
        X509Certificate caA = certificate(a, b, attacker.getPublic(), attacker.getPrivate(), true, null);
        X509Certificate caB = certificate(b, a, attacker.getPublic(), attacker.getPrivate(), true, null);
        X509Certificate signer = certificate(user("mallory@kv-safenet.de"), a, attacker.getPublic(), attacker.getPrivate(),
                false, "mallory@kv-safenet.de");
        byte[] msg = signed(attacker.getPrivate(), signer, List.of(signer, caA, caB), null);
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, receive(reader(), msg, "mallory@kv-safenet.de"));
        // a CA that names itself as its issuer (self-issued, but not by the trusted root) in the loop
        X509Certificate selfIssued = certificate(a, a, attacker.getPublic(), attacker.getPrivate(), true, null);
        byte[] msg2 = signed(attacker.getPrivate(), signer, List.of(signer, selfIssued), null);
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, receive(reader(), msg2, "mallory@kv-safenet.de"));
    }
}
