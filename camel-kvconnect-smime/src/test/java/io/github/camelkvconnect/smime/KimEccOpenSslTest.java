package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL ({@code openssl cms}, 3.0) as an independent peer for KIM with ECC keys, both directions: it opens the
 * project's ECDH KeyAgreeRecipientInfo and verifies its ECDSA signature; the project reads OpenSSL's ECDSA-signed,
 * kari-encrypted messages (for EC and RSA recipients at once). OpenSSL must be installed: the tests fail, never skip,
 * without it (as {@link OpenSslInteropTest}).
 */
class KimEccOpenSslTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE_EC = PKI.user("alice.ecc@kim.telematik", TestPki.Variant.EC);
    private static final SmimeCredentials BOB_EC = PKI.user("bob.ecc@kim.telematik", TestPki.Variant.EC);
    private static final SmimeCredentials BOB_RSA = PKI.user("bob@kim.telematik");
    private static final SmimeCredentials DORA_P384 = PKI.ecUser("dora.ecc@kim.telematik", "brainpoolP384r1");

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeKeys() throws Exception {
        pem(dir.resolve("cas.pem"), PKI.rootCertificate().getEncoded(), PKI.userCaCertificate().getEncoded());
        for (var e : Map.of("alice_ec", ALICE_EC, "bob_ec", BOB_EC, "bob_rsa", BOB_RSA, "dora", DORA_P384).entrySet()) {
            pem(dir.resolve(e.getKey() + ".pem"), e.getValue().certificate().getEncoded());
            Files.writeString(dir.resolve(e.getKey() + ".key"), block("PRIVATE KEY", e.getValue().privateKey().getEncoded()),
                    StandardCharsets.US_ASCII);
        }
    }

    private static void pem(Path file, byte[]... certificates) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (byte[] c : certificates) {
            sb.append(block("CERTIFICATE", c));
        }
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
               + "\n-----END " + type + "-----\n";
    }

    /** Runs openssl in the test's directory. */
    static OpenSsl.Result openssl(String... args) throws Exception {
        return OpenSsl.run(dir, args);
    }

    private static SmimeReader reader(SmimeCredentials own) {
        return SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(own).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).build();
    }

    /** The AuthEnvelopedData without its unauthAttrs (not covered by the GCM tag, so the rest stays intact). */
    private static byte[] withoutUnauthAttrs(byte[] der) throws IOException {
        AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ContentInfo.getInstance(der).getContent());
        return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, new AuthEnvelopedData(aed.getOriginatorInfo(),
                aed.getRecipientInfos(), aed.getAuthEncryptedContentInfo(), aed.getAuthAttrs(), aed.getMac(), null))
                .getEncoded("DER");
    }

    @Test
    void openSslOpensTheProjectsKeyAgreementAndVerifiesItsEcdsaSignature() throws Exception {
        Path msg = dir.resolve("kim-ecc.eml");
        try (OutputStream out = Files.newOutputStream(msg)) {
            SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE_EC)
                    .certificateResolver(TestPki.resolver(BOB_EC, BOB_RSA)).trustAnchors(PKI.anchors()).build()
                    .write(businessEntity("Hallo ECC"), headers("alice.ecc@kim.telematik",
                            "bob.ecc@kim.telematik, bob@kim.telematik"), out);
        }
        OpenSsl.Result dec = openssl("cms", "-decrypt", "-in", "kim-ecc.eml", "-recip", "bob_ec.pem", "-inkey", "bob_ec.key",
                "-out", "kim-ecc.dec");
        if (dec.exit() != 0) {
            // OpenSSL 3.0 rejects AuthEnvelopedData carrying unauthAttrs (the mandatory KIM recipient-emails), see
            // OpenSslInteropTest. They are outside the GCM authentication: without them the envelope is otherwise
            // byte for byte ours, and OpenSSL must open our key agreement entry.
            assertTrue(dec.output().contains("unauthAttrs"), dec.output());
            Files.write(dir.resolve("kim-ecc.der"), withoutUnauthAttrs(TestMessages.cmsOf(Files.readAllBytes(msg))));
            dec = openssl("cms", "-decrypt", "-inform", "DER", "-in", "kim-ecc.der", "-recip", "bob_ec.pem", "-inkey",
                    "bob_ec.key", "-out", "kim-ecc.dec");
            OpenSsl.Result print = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", "kim-ecc.der");
            assertTrue(print.output().contains("dhSinglePass-stdDH-sha256kdf-scheme"), print.output());
            assertTrue(print.output().contains("id-aes256-wrap"), print.output());
        }
        assertEquals(0, dec.exit(), dec.output());
        byte[] plain = Files.readAllBytes(dir.resolve("kim-ecc.dec"));
        String s = new String(plain, StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("kim-ecc.p7m"), Arrays.copyOfRange(plain, s.indexOf("\r\n\r\n") + 4, plain.length));
        OpenSsl.Result ver = openssl("cms", "-verify", "-inform", "DER", "-in", "kim-ecc.p7m", "-CAfile", "cas.pem",
                "-purpose", "smimesign", "-binary", "-out", "kim-ecc.content");
        assertEquals(0, ver.exit(), ver.output());
        String content = Files.readString(dir.resolve("kim-ecc.content"), StandardCharsets.ISO_8859_1);
        assertTrue(content.startsWith("Content-Type: message/rfc822\r\n\r\n"), content);
        assertTrue(content.contains("Hallo ECC"));
        OpenSsl.Result print = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", "kim-ecc.p7m");
        assertTrue(print.output().contains("ecdsa-with-SHA256"), print.output());
    }

    /** OpenSSL signs {@code signer}'s small mail (opaque, ECDSA) and encrypts it with AES-256-GCM; extra args choose the recipients. */
    private static Path openSslKim(String name, String signerFile, String digest, String... recipients) throws Exception {
        String from = signerFile.equals("dora") ? "dora.ecc@kim.telematik" : "alice.ecc@kim.telematik";
        Files.write(dir.resolve(name + ".inner"), ("Content-Type: message/rfc822\r\n\r\nFrom: " + from + "\r\nTo: "
                + "bob.ecc@kim.telematik, bob@kim.telematik\r\nSubject: Hallo\r\nContent-Type: text/plain\r\n\r\nvia OpenSSL ECC\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        OpenSsl.Result sign = openssl("cms", "-sign", "-binary", "-nodetach", "-in", name + ".inner", "-signer", signerFile + ".pem",
                "-inkey", signerFile + ".key", "-md", digest, "-outform", "SMIME", "-out", name + ".signed");
        assertEquals(0, sign.exit(), sign.output());
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-aes-256-gcm", "-in", name + ".signed", "-out",
                name + ".eml", "-from", from, "-to", "bob.ecc@kim.telematik, bob@kim.telematik", "-subject", "KOM-LE-Nachricht"));
        args.addAll(List.of(recipients));
        OpenSsl.Result enc = openssl(args.toArray(String[]::new));
        assertEquals(0, enc.exit(), enc.output());
        return dir.resolve(name + ".eml");
    }

    @Test
    void projectReadsOpenSslEcdsaSignedKeyAgreementForEccAndRsaRecipients() throws Exception {
        Path msg = openSslKim("ossl-ecc", "alice_ec", "sha256",
                "-recip", "bob_ec.pem", "-keyopt", "ecdh_kdf_md:sha256",
                "-recip", "bob_rsa.pem", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        OpenSsl.Result print = openssl("cms", "-cmsout", "-print", "-in", msg.getFileName().toString());
        assertTrue(print.output().contains("dhSinglePass-stdDH-sha256kdf-scheme"), print.output());
        for (SmimeCredentials own : List.of(BOB_EC, BOB_RSA)) {
            try (DecryptedMessage m = reader(own).read(msg)) {
                assertEquals(SmimeProfile.KIM, m.profile());
                assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
                assertEquals("alice.ecc@kim.telematik", m.verification().signerAddress());
                assertEquals("Hallo", m.innerHeaders().getHeader("Subject", null));
            }
        }
    }

    @Test
    void projectReadsOpenSslEcdsaSha384OnBrainpoolP384() throws Exception {
        Path msg = openSslKim("ossl-p384", "dora", "sha384", "-recip", "bob_ec.pem", "-keyopt", "ecdh_kdf_md:sha256");
        try (DecryptedMessage m = reader(BOB_EC).read(msg)) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals("dora.ecc@kim.telematik", m.verification().signerAddress());
        }
    }

    @Test
    void openSslsDefaultSha1KdfIsRefusedWithTheSchemeNamed() throws Exception {
        // without ecdh_kdf_md OpenSSL 3.0 uses dhSinglePass-stdDH-sha1kdf-scheme, which the KIM policy does not accept
        Path msg = openSslKim("ossl-sha1kdf", "alice_ec", "sha256", "-recip", "bob_ec.pem");
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> reader(BOB_EC).read(new ByteArrayInputStream(Files.readAllBytes(msg))));
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("1.3.133.16.840.63.0.2"), e.getMessage());
    }
}
