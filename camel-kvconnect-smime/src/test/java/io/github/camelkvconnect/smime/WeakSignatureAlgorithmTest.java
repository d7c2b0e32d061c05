package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static io.github.camelkvconnect.smime.TestMessages.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.TestPki.Variant;

/**
 * A signature is only VALID with an allowed digest (SHA-256/384/512), PSS parameters of that strength, and a signer key
 * of at least 2048 bits: MD5- and SHA-1-signed messages and 1024-bit signers are cryptographically correct but must
 * not be reported VALID.
 */
class WeakSignatureAlgorithmTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    Path work;

    private VerificationResult receive(SmimeCredentials signer, ContentSigner contentSigner) throws Exception {
        byte[] entity = toBytes(businessEntity("Befund"));
        String from = CertificateChecks.emailOf(signer.certificate());
        byte[] msg = transport(headers(from, "bob@kv-safenet.de"), signed(entity, signer, contentSigner), BOB.certificate());
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(msg))) {
            return m.verification();
        }
    }

    /** A clear-signed multipart/signed with any signature algorithm Bouncy Castle can produce. */
    private static byte[] signed(byte[] entity, SmimeCredentials signer, ContentSigner contentSigner) throws Exception {
        return TestMessages.multipartSigned(entity, signer, contentSigner, true);
    }

    /** RSASSA-PSS with any hash / MGF1 hash combination (Bouncy Castle has no name for the mixed ones). */
    private static ContentSigner pss(SmimeCredentials credentials, String hash, MGF1ParameterSpec mgf) throws Exception {
        java.security.Signature sig = java.security.Signature.getInstance("RSASSA-PSS");
        sig.setParameter(new PSSParameterSpec(hash, "MGF1", mgf, 32, 1));
        sig.initSign(credentials.privateKey());
        var digests = new org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder();
        var params = new org.bouncycastle.asn1.pkcs.RSASSAPSSparams(digests.find(hash),
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_mgf1, digests.find(mgf.getDigestAlgorithm())),
                new org.bouncycastle.asn1.ASN1Integer(32), new org.bouncycastle.asn1.ASN1Integer(1));
        var algorithm = new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_RSASSA_PSS, params);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        return new ContentSigner() {
            @Override
            public org.bouncycastle.asn1.x509.AlgorithmIdentifier getAlgorithmIdentifier() {
                return algorithm;
            }

            @Override
            public java.io.OutputStream getOutputStream() {
                return data;
            }

            @Override
            public byte[] getSignature() {
                try {
                    sig.update(data.toByteArray());
                    return sig.sign();
                } catch (java.security.SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static ContentSigner signer(String algorithm, SmimeCredentials credentials) throws Exception {
        return new JcaContentSignerBuilder(algorithm).setProvider(CertificateChecks.BC).build(credentials.privateKey());
    }

    private static void assertValid(VerificationResult v) {
        assertEquals(VerificationStatus.VALID, v.status(), v.detail());
    }

    private static void assertRefused(VerificationResult v, String detailPart) {
        assertEquals(VerificationStatus.BAD_SIGNATURE, v.status(), v.detail());
        assertTrue(v.detail().contains(detailPart), v.detail());
    }

    @Test
    void sha256IsStillValid() throws Exception {
        assertValid(receive(ALICE, signer("SHA256withRSA", ALICE)));
        assertValid(receive(ALICE, signer("SHA384withRSA", ALICE)));
        assertValid(receive(ALICE, signer("SHA512withRSA", ALICE)));
        assertValid(receive(ALICE, new JcaContentSignerBuilder("SHA256withRSAandMGF1",
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1))
                .setProvider(CertificateChecks.BC).build(ALICE.privateKey())));
        assertValid(receive(ALICE, pss(ALICE, "SHA-256", MGF1ParameterSpec.SHA256)));
    }

    @Test
    void md5SignatureIsNotValid() throws Exception {
        assertRefused(receive(ALICE, signer("MD5withRSA", ALICE)), "digest algorithm");
    }

    @Test
    void sha1SignatureIsNotValid() throws Exception {
        assertRefused(receive(ALICE, signer("SHA1withRSA", ALICE)), "digest algorithm");
    }

    @Test
    void pssWithSha1IsNotValid() throws Exception {
        assertRefused(receive(ALICE, new JcaContentSignerBuilder("SHA1withRSAandMGF1",
                new PSSParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, 20, 1))
                .setProvider(CertificateChecks.BC).build(ALICE.privateKey())), "digest");
    }

    @Test
    void pssWithSha1MaskGenerationIsNotValid() throws Exception {
        // SHA-256 message digest, but the mask generation function hashes with SHA-1
        assertRefused(receive(ALICE, pss(ALICE, "SHA-256", MGF1ParameterSpec.SHA1)), "MGF1");
    }

    @Test
    void signerKeyOf1024BitsIsNotValid() throws Exception {
        SmimeCredentials weak = PKI.user("weak@kv-safenet.de", Variant.RSA_1024);
        assertRefused(receive(weak, signer("SHA256withRSA", weak)), "1024");
    }
}
