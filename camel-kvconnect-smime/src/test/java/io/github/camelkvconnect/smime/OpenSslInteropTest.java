package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL ({@code openssl cms}) as an independent peer, both directions, both profiles. OpenSSL must be installed:
 * if it is missing the tests fail (they never skip). {@link AccpOpenSslInteropTest} runs the same tests with the
 * RSA operations on the Amazon Corretto Crypto Provider.
 */
class OpenSslInteropTest {

    static final TestPki PKI = TestPki.shared();
    static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeKeys() throws Exception {
        pem(dir.resolve("root.pem"), "CERTIFICATE", PKI.rootCertificate().getEncoded());
        pem(dir.resolve("userca.pem"), "CERTIFICATE", PKI.userCaCertificate().getEncoded());
        for (var e : java.util.Map.of("alice", ALICE, "bob", BOB).entrySet()) {
            pem(dir.resolve(e.getKey() + ".pem"), "CERTIFICATE", e.getValue().certificate().getEncoded());
            pem(dir.resolve(e.getKey() + ".key"), "PRIVATE KEY", e.getValue().privateKey().getEncoded());
        }
    }

    private static void pem(Path file, String type, byte[] der) throws IOException {
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
                .encodeToString(der) + "\n-----END " + type + "-----\n", StandardCharsets.US_ASCII);
    }

    /** Runs openssl in the test's directory. */
    static OpenSsl.Result openssl(String... args) throws Exception {
        return OpenSsl.run(dir, args);
    }


    /** The JCA provider for the RSA operations of the project's writer and reader; null = the defaults. */
    java.security.Provider rsaProvider() {
        return null;
    }

    SmimeWriter writer(SmimeProfile profile) {
        return SmimeWriter.builder().profile(profile).credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).rsaProvider(rsaProvider()).build();
    }

    SmimeReader reader(SmimeProfile... profiles) {
        return SmimeReader.builder().profiles(profiles).credentials(BOB).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).rsaProvider(rsaProvider()).build();
    }

    private static byte[] entityBytes() throws Exception {
        return TestMessages.toBytes(businessEntity("Befund von OpenSSL"));
    }

    @Test
    void openSslDecryptsAndVerifiesKvConnectOutput() throws Exception {
        Path msg = dir.resolve("kvc.eml");
        try (OutputStream out = Files.newOutputStream(msg)) {
            writer(SmimeProfile.KVCONNECT).write(businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        }
        OpenSsl.Result dec = openssl("cms", "-decrypt", "-in", "kvc.eml", "-recip", "bob.pem", "-inkey", "bob.key", "-out", "kvc.dec");
        assertEquals(0, dec.exit(), dec.output());
        OpenSsl.Result ver = openssl("cms", "-verify", "-in", "kvc.dec", "-CAfile", "root.pem", "-certfile", "userca.pem",
                "-purpose", "smimesign", "-out", "kvc.content");
        assertEquals(0, ver.exit(), ver.output());
        assertTrue(ver.output().contains("Verification successful"), ver.output());
        assertTrue(Files.readString(dir.resolve("kvc.content"), StandardCharsets.ISO_8859_1).contains("Befund"));
        // the sender can read its own message too
        assertEquals(0, openssl("cms", "-decrypt", "-in", "kvc.eml", "-recip", "alice.pem", "-inkey", "alice.key",
                "-out", "kvc.dec2").exit());
    }

    @Test
    void kimOutputAgainstOpenSsl() throws Exception {
        Path msg = dir.resolve("kim.eml");
        try (OutputStream out = Files.newOutputStream(msg)) {
            writer(SmimeProfile.KIM).write(businessEntity("Hallo KIM"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        }
        OpenSsl.Result dec = openssl("cms", "-decrypt", "-in", "kim.eml", "-recip", "bob.pem", "-inkey", "bob.key", "-out", "kim.dec");
        byte[] signedDer;
        if (dec.exit() == 0) {
            byte[] plain = Files.readAllBytes(dir.resolve("kim.dec"));
            String s = new String(plain, StandardCharsets.ISO_8859_1);
            signedDer = Arrays.copyOfRange(plain, s.indexOf("\r\n\r\n") + 4, plain.length);
        } else {
            // OpenSSL 3.0 rejects AuthEnvelopedData carrying unauthAttrs (the mandatory KIM recipient-emails):
            // "Field=unauthAttrs". Decrypt the envelope with Bouncy Castle and let OpenSSL check the SignedData layer.
            assertTrue(dec.output().contains("unauthAttrs"), dec.output());
            CMSAuthEnvelopedData env = new CMSAuthEnvelopedData(TestMessages.cmsOf(Files.readAllBytes(msg)));
            byte[] plain = null;
            for (RecipientInformation r : env.getRecipientInfos().getRecipients()) {
                if (r.getRID().match(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(BOB.certificate()))) {
                    plain = r.getContent(new JceKeyTransAuthEnvelopedRecipient(BOB.privateKey()).setProvider(CertificateChecks.BC));
                }
            }
            String s = new String(plain, StandardCharsets.ISO_8859_1);
            signedDer = Arrays.copyOfRange(plain, s.indexOf("\r\n\r\n") + 4, plain.length);
        }
        Files.write(dir.resolve("kim.p7m"), signedDer);
        // KIM includes only the signer certificate: give OpenSSL the user CA next to the root
        Files.writeString(dir.resolve("cas.pem"),
                Files.readString(dir.resolve("root.pem")) + Files.readString(dir.resolve("userca.pem")));
        OpenSsl.Result ver = openssl("cms", "-verify", "-inform", "DER", "-in", "kim.p7m", "-CAfile", "cas.pem",
                "-purpose", "smimesign", "-binary", "-out", "kim.content");
        assertEquals(0, ver.exit(), ver.output());
        String content = Files.readString(dir.resolve("kim.content"), StandardCharsets.ISO_8859_1);
        assertTrue(content.startsWith("Content-Type: message/rfc822\r\n\r\n"), content);
        assertTrue(content.contains("Hallo KIM"));
        OpenSsl.Result print = openssl("cms", "-cmsout", "-print", "-inform", "DER", "-in", "kim.p7m");
        assertTrue(print.output().contains("rsassaPss"), "RSASSA-PSS signature");
    }

    @Test
    void projectReadsOpenSslCbcPkcs1Output() throws Exception {
        Files.write(dir.resolve("entity.eml"), entityBytes());
        OpenSsl.Result sign = openssl("cms", "-sign", "-binary", "-in", "entity.eml", "-signer", "alice.pem", "-inkey", "alice.key",
                "-certfile", "userca.pem", "-md", "sha256", "-out", "signed.eml");
        assertEquals(0, sign.exit(), sign.output());
        OpenSsl.Result enc = openssl("cms", "-encrypt", "-aes256", "-in", "signed.eml", "-out", "cbc.eml", "-from",
                "alice@kv-safenet.de", "-to", "bob@kv-safenet.de", "-subject", "Arztbrief", "bob.pem", "alice.pem");
        assertEquals(0, enc.exit(), enc.output());
        try (DecryptedMessage m = reader(SmimeProfile.KVCONNECT).read(dir.resolve("cbc.eml"))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals("alice@kv-safenet.de", m.verification().signerAddress());
            assertArrayEquals(entityBytes().length > 0 ? Files.readAllBytes(dir.resolve("entity.eml")) : null,
                    Files.readAllBytes(m.entityFile()));
        }
    }

    @Test
    void projectReadsOpenSslGcmOaepOutput() throws Exception {
        Files.write(dir.resolve("entity2.eml"), entityBytes());
        assertEquals(0, openssl("cms", "-sign", "-binary", "-in", "entity2.eml", "-signer", "alice.pem", "-inkey",
                "alice.key", "-certfile", "userca.pem", "-md", "sha256", "-out", "signed2.eml").exit());
        OpenSsl.Result enc = openssl("cms", "-encrypt", "-aes-256-gcm", "-in", "signed2.eml", "-out", "gcm.eml", "-from",
                "alice@kv-safenet.de", "-to", "bob@kv-safenet.de", "-subject", "Arztbrief", "-recip", "bob.pem",
                "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        assertEquals(0, enc.exit(), enc.output());
        try (DecryptedMessage m = reader(SmimeProfile.KVCONNECT).read(dir.resolve("gcm.eml"))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertArrayEquals(Files.readAllBytes(dir.resolve("entity2.eml")), Files.readAllBytes(m.entityFile()));
        }
    }

    @Test
    void projectReadsOpenSslKimStyleOutput() throws Exception {
        byte[] inner = ("Content-Type: message/rfc822\r\n\r\nFrom: alice@kv-safenet.de\r\nTo: bob@kv-safenet.de\r\n"
                        + "Subject: Hallo\r\nContent-Type: text/plain\r\n\r\nvia OpenSSL\r\n").getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("inner.eml"), inner);
        assertEquals(0, openssl("cms", "-sign", "-binary", "-nodetach", "-in", "inner.eml", "-signer", "alice.pem",
                "-inkey", "alice.key", "-md", "sha256", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:32",
                "-outform", "SMIME", "-out", "opaque.eml").exit());
        OpenSsl.Result enc = openssl("cms", "-encrypt", "-aes-256-gcm", "-in", "opaque.eml", "-out", "kim-openssl.eml",
                "-from", "alice@kv-safenet.de", "-to", "bob@kv-safenet.de", "-subject", "KOM-LE-Nachricht", "-recip",
                "bob.pem", "-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        assertEquals(0, enc.exit(), enc.output());
        try (DecryptedMessage m = reader(SmimeProfile.KIM).read(dir.resolve("kim-openssl.eml"))) {
            assertEquals(SmimeProfile.KIM, m.profile());
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals("Hallo", m.innerHeaders().getHeader("Subject", null));
        }
    }

}
