package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.TestPki.Variant;

/**
 * Each decryption failure says what happened and what to do, specific to its reason, without quoting decrypted content;
 * certificate path problems name the certificate and the PKIX reason.
 */
class DecryptionMessagesTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final SmimeCredentials CAROL = PKI.user("carol@kv-safenet.de");

    @TempDir
    Path work;

    private static byte[] kvConnect(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB)).trustAnchors(PKI.anchors())
                .build().write(businessEntity(text), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }

    private SmimeDecryptionException failure(SmimeReader.Builder reader, byte[] transport) {
        return assertThrows(SmimeDecryptionException.class,
                () -> reader.workDirectory(work).build().read(new ByteArrayInputStream(transport)).close());
    }

    private static String serial(X509Certificate c) {
        return "serial " + c.getSerialNumber().toString(16);
    }

    @Test
    void noMatchingRecipientNamesTheCertificatesTheMessageWasEncryptedForAndOurs() throws Exception {
        byte[] msg = kvConnect("Befund vertraulich");
        SmimeDecryptionException e = failure(SmimeReader.builder().credentials(CAROL), msg);
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, e.reason());
        String text = e.getMessage();
        assertTrue(text.contains("not encrypted for the configured key"), text);
        assertTrue(text.contains(serial(BOB.certificate())) && text.contains(serial(ALICE.certificate())),
                "names the recipients' certificates: " + text);
        assertTrue(text.contains("CN=KVTG Test User CA"), "names their issuer: " + text);
        assertTrue(text.contains("configured certificate(s): ") && text.contains(serial(CAROL.certificate())), text);
        assertTrue(text.contains("keystore"), "says what to do: " + text);
        assertFalse(text.contains("Befund"), text);

        SmimeDecryptionException keyOnly = failure(SmimeReader.builder().privateKey(CAROL.privateKey()), msg);
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, keyOnly.reason());
        assertTrue(keyOnly.getMessage().contains("none of those entries opens"), keyOnly.getMessage());
    }

    @Test
    void truncatedMessageSaysItIsIncomplete() throws Exception {
        byte[] msg = kvConnect("Befund vertraulich");
        String s = new String(msg, StandardCharsets.ISO_8859_1);
        byte[] cut = Arrays.copyOf(msg, s.lastIndexOf("\r\n", s.length() * 2 / 3) + 2);
        SmimeDecryptionException e = failure(SmimeReader.builder().credentials(BOB), cut);
        assertEquals(DecryptionFailure.TRUNCATED, e.reason());
        assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("cut off"), e.getMessage());
        assertTrue(e.getMessage().contains("stays on the server"), e.getMessage());
        assertFalse(e.getMessage().contains("Befund"), e.getMessage());
    }

    @Test
    void alteredGcmCiphertextSaysItWasAltered() throws Exception {
        SmimeCredentials kimAlice = PKI.user("alice@kim.telematik");
        SmimeCredentials kimBob = PKI.user("bob@kim.telematik");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(kimAlice).certificateResolver(TestPki.resolver(kimBob))
                .trustAnchors(PKI.anchors()).build()
                .write(businessEntity("Befund vertraulich"), headers("alice@kim.telematik", "bob@kim.telematik"), out);
        byte[] der = TestMessages.cmsOf(out.toByteArray());
        // a byte inside the encrypted content: before the tag and the unauthenticated recipient-emails at the end
        der[der.length - 600] ^= 0x01;
        byte[] tampered = TestMessages.wrap(headers("alice@kim.telematik", "bob@kim.telematik"), der,
                "authenticated-enveloped-data");
        SmimeDecryptionException e = failure(SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(kimBob), tampered);
        assertEquals(DecryptionFailure.AUTHENTICATION_FAILED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("altered") && e.getMessage().contains("authentication tag"), e.getMessage());
        assertFalse(e.getMessage().contains("Befund"), e.getMessage());
    }

    @Test
    void unencryptedMessageSaysSoAndWhatToDo() {
        byte[] plain = "From: a@b.de\r\nContent-Type: text/plain\r\n\r\nBefund offen\r\n".getBytes(StandardCharsets.US_ASCII);
        SmimeDecryptionException e = failure(SmimeReader.builder().credentials(BOB), plain);
        assertEquals(DecryptionFailure.MALFORMED_MIME, e.reason());
        assertTrue(e.getMessage().contains("not encrypted (text/plain)"), e.getMessage());
        assertTrue(e.getMessage().contains("ask the sender"), e.getMessage());
        assertFalse(e.getMessage().contains("Befund"), e.getMessage());
    }

    @Test
    void damagedCmsStructureIsDescribedAsDamaged() throws Exception {
        byte[] garbage = TestMessages.wrap(headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 }, "enveloped-data");
        SmimeDecryptionException e = failure(SmimeReader.builder().credentials(BOB), garbage);
        assertEquals(DecryptionFailure.CORRUPT_DATA, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("send it again"), e.getMessage());
    }

    @Test
    void expiredSignerDetailNamesTheCertificateAndTheDate() throws Exception {
        SmimeCredentials expired = PKI.user("expired@kv-safenet.de", Variant.EXPIRED);
        byte[] msg = TestMessages.transport(headers("expired@kv-safenet.de", "bob@kv-safenet.de"),
                TestMessages.multipartSigned(TestMessages.toBytes(businessEntity("x")), expired, true), BOB.certificate());
        try (DecryptedMessage m = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work)
                .build().read(new ByteArrayInputStream(msg))) {
            String detail = m.verification().detail();
            assertEquals(VerificationStatus.EXPIRED, m.verification().status());
            assertTrue(detail.contains("expired on " + expired.certificate().getNotAfter().toInstant()), detail);
            assertTrue(detail.contains("E=expired@kv-safenet.de"), "names the certificate readably: " + detail);
            assertTrue(detail.contains(serial(expired.certificate())), detail);
            assertFalse(detail.contains("validity check failed"), detail);
        }
    }

    @Test
    void untrustedSignerDetailNamesTheMissingAnchor() throws Exception {
        SmimeCredentials untrusted = PKI.user("untrusted@kv-safenet.de", Variant.UNTRUSTED_ROOT);
        byte[] msg = TestMessages.transport(headers("untrusted@kv-safenet.de", "bob@kv-safenet.de"),
                TestMessages.multipartSigned(TestMessages.toBytes(businessEntity("x")), untrusted, true), BOB.certificate());
        try (DecryptedMessage m = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work)
                .build().read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.UNTRUSTED_CHAIN, m.verification().status());
            assertTrue(m.verification().detail().contains("Unrelated Root CA"), m.verification().detail());
        }
    }
}
