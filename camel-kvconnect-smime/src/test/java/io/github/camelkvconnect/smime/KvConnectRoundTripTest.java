package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.multipartSigned;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static io.github.camelkvconnect.smime.TestMessages.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeBodyPart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.TestPki.Variant;

/** KV-Connect profile: own round trip, every verification outcome, tampering, truncation, wrong recipient, bad input. */
class KvConnectRoundTripTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final SmimeCredentials CAROL = PKI.user("carol@kv-safenet.de");

    @TempDir
    Path work;

    private static SmimeWriter writer(SmimeCredentials signer, SmimeCredentials... known) {
        return SmimeWriter.builder().credentials(signer).certificateResolver(TestPki.resolver(known))
                .trustAnchors(PKI.anchors()).build();
    }

    private SmimeReader reader(SmimeCredentials own) {
        return SmimeReader.builder().credentials(own).trustAnchors(PKI.anchors()).workDirectory(work).build();
    }

    private static byte[] send(SmimeWriter writer, Map<String, String> headers) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund"), headers, out);
        return out.toByteArray();
    }

    private VerificationResult receive(SmimeCredentials own, byte[] transport) throws Exception {
        try (DecryptedMessage m = reader(own).read(new ByteArrayInputStream(transport))) {
            return m.verification();
        }
    }

    @Test
    void roundTripIsValidForRecipientAndSender() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        String head = TestMessages.headerBlock(msg);
        assertTrue(head.contains("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m"));
        assertTrue(head.contains("X-KVC-Dienstkennung: Arztbrief;VHitG-Versand;V1.0"));
        assertFalse(new String(msg, StandardCharsets.ISO_8859_1).contains("Befund"), "content is encrypted");
        String plain = new String(TestMessages.plaintextOf(msg, BOB), StandardCharsets.ISO_8859_1);
        assertTrue(plain.startsWith("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256"));
        for (SmimeCredentials reader : new SmimeCredentials[] { BOB, ALICE }) {
            try (DecryptedMessage m = reader(reader).read(new ByteArrayInputStream(msg))) {
                assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
                assertEquals("alice@kv-safenet.de", m.verification().signerAddress());
                assertEquals(ALICE.certificate(), m.verification().signer());
                assertEquals(1, m.layerCount());
                Multipart mp = (Multipart) m.businessEntity().getContent();
                assertEquals("Befund", mp.getBodyPart(0).getContent());
                assertEquals("eAB-XML", mp.getBodyPart(1).getDescription());
                assertEquals("bob@kv-safenet.de", m.routingHeaders().get("to"));
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(m.entityFile());
                assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms);
            }
        }
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aMessageForSomebodyElseFailsUniformly() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> receive(CAROL, msg));
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT, e.reason());
        SmimeReader keyOnly = SmimeReader.builder().privateKey(CAROL.privateKey()).workDirectory(work).build();
        assertEquals(DecryptionFailure.NO_MATCHING_RECIPIENT,
                assertThrows(SmimeDecryptionException.class, () -> keyOnly.read(new ByteArrayInputStream(msg))).reason());
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "failed reads leave no temporary file");
        }
    }

    @Test
    void aPrivateKeyWithoutCertificateFindsItsRecipientInfo() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        SmimeReader keyOnly = SmimeReader.builder().privateKey(BOB.privateKey()).trustAnchors(PKI.anchors()).build();
        try (DecryptedMessage m = keyOnly.read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
        }
    }

    @Test
    void signerOtherThanFromIsAMismatch() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("carol@kv-safenet.de", "bob@kv-safenet.de"));
        assertEquals(VerificationStatus.SIGNER_ADDRESS_MISMATCH, receive(BOB, msg).status());
        Map<String, String> senderOnly = headers("carol@kv-safenet.de", "bob@kv-safenet.de");
        senderOnly.put("Sender", "alice@kv-safenet.de");
        assertEquals(VerificationStatus.SIGNER_ADDRESS_MISMATCH, receive(BOB, send(writer(ALICE, BOB), senderOnly)).status());
        // case-insensitive match is fine
        assertEquals(VerificationStatus.VALID,
                receive(BOB, send(writer(ALICE, BOB), headers("Alice <ALICE@KV-SAFENET.DE>", "bob@kv-safenet.de"))).status());
    }

    private VerificationStatus signedBy(SmimeCredentials signer, boolean certificates) throws Exception {
        byte[] entity = toBytes(businessEntity("x"));
        String from = CertificateChecks.emailOf(signer.certificate());
        byte[] msg = transport(headers(from, "bob@kv-safenet.de"), multipartSigned(entity, signer, certificates),
                BOB.certificate());
        return receive(BOB, msg).status();
    }

    @Test
    void everyCertificateOutcome() throws Exception {
        assertEquals(VerificationStatus.VALID, signedBy(ALICE, true));
        assertEquals(VerificationStatus.EXPIRED, signedBy(PKI.user("old@kv-safenet.de", Variant.EXPIRED), true));
        assertEquals(VerificationStatus.NOT_YET_VALID, signedBy(PKI.user("new@kv-safenet.de", Variant.NOT_YET_VALID), true));
        assertEquals(VerificationStatus.WRONG_KEY_USAGE,
                signedBy(PKI.user("nods@kv-safenet.de", Variant.NO_DIGITAL_SIGNATURE), true));
        assertEquals(VerificationStatus.WRONG_KEY_USAGE, signedBy(PKI.user("noeku@kv-safenet.de", Variant.NO_EKU), true));
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, signedBy(PKI.user("evil@kv-safenet.de", Variant.UNTRUSTED_ROOT), true));
        assertEquals(VerificationStatus.INCOMPLETE_CHAIN, signedBy(ALICE, false));
    }

    @Test
    void archiveValidationTimeIsExplicitAndNeverTheSigningTime() throws Exception {
        SmimeCredentials old = PKI.user("old@kv-safenet.de", Variant.EXPIRED);
        byte[] msg = transport(headers("old@kv-safenet.de", "bob@kv-safenet.de"),
                multipartSigned(toBytes(businessEntity("x")), old, true), BOB.certificate());
        SmimeReader archive = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors())
                .validationTime(old.certificate().getNotAfter().toInstant().minusSeconds(3600)).build();
        try (DecryptedMessage m = archive.read(new ByteArrayInputStream(msg))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
        }
        assertEquals(VerificationStatus.EXPIRED, receive(BOB, msg).status());
    }

    @Test
    void unsignedContentAndZeroSigners() throws Exception {
        byte[] entity = toBytes(businessEntity("x"));
        assertEquals(VerificationStatus.UNSIGNED,
                receive(BOB, transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), entity, BOB.certificate())).status());
    }

    @Test
    void signedDataWithZeroSignersIsUnsigned() throws Exception {
        byte[] entity = toBytes(businessEntity("x"));
        byte[] withSigner = multipartSigned(entity, ALICE, true);
        // same structure, but the SignedData carries no SignerInfo at all
        org.bouncycastle.cms.CMSSignedDataGenerator g = new org.bouncycastle.cms.CMSSignedDataGenerator();
        g.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(ALICE.chain()));
        byte[] empty = g.generate(new org.bouncycastle.cms.CMSProcessableByteArray(entity), false).getEncoded();
        String s = new String(withSigner, StandardCharsets.ISO_8859_1);
        int sigStart = s.indexOf("\r\n\r\n", s.indexOf("application/pkcs7-signature", 100)) + 4;
        int sigEnd = s.lastIndexOf("\r\n--");
        byte[] zero = (s.substring(0, sigStart) + java.util.Base64.getMimeEncoder().encodeToString(empty) + s.substring(sigEnd))
                .getBytes(StandardCharsets.ISO_8859_1);
        VerificationResult v = receive(BOB, transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), zero,
                BOB.certificate()));
        assertEquals(VerificationStatus.UNSIGNED, v.status());
    }

    @Test
    void extraUnsignedPartNextToTheSignedEntityIsNotValid() throws Exception {
        byte[] signed = multipartSigned(toBytes(businessEntity("x")), ALICE, true);
        String b = "outer";
        byte[] wrapped = ("Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n--" + b + "\r\n"
                          + new String(signed, StandardCharsets.ISO_8859_1)
                          + "\r\n--" + b + "\r\nContent-Type: text/plain\r\n\r\nPay to account 123\r\n--" + b + "--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(VerificationStatus.UNSIGNED,
                receive(BOB, transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), wrapped, BOB.certificate())).status());
    }

    @Test
    void plainPartOutsideTheEncryptionIsReported() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        String head = TestMessages.headerBlock(msg);
        String encryptedPart = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                               + "Content-Transfer-Encoding: base64\r\n\r\n"
                               + new String(msg, StandardCharsets.ISO_8859_1).substring(head.length());
        String outer = "From: alice@kv-safenet.de\r\nTo: bob@kv-safenet.de\r\nMIME-Version: 1.0\r\n"
                       + "Content-Type: multipart/mixed; boundary=\"x1\"\r\n\r\n--x1\r\nContent-Type: text/plain\r\n\r\n"
                       + "unencrypted\r\n--x1\r\n" + encryptedPart + "\r\n--x1--\r\n";
        assertEquals(VerificationStatus.UNENCRYPTED_PART, receive(BOB, outer.getBytes(StandardCharsets.ISO_8859_1)).status());
    }

    @Test
    void alteredSignedContentAndFlippedSignatureAreBadSignatures() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        String plain = new String(TestMessages.plaintextOf(msg, BOB), StandardCharsets.ISO_8859_1);
        byte[] altered = plain.replace("Befund", "Befunc").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(VerificationStatus.BAD_SIGNATURE,
                receive(BOB, transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), altered, BOB.certificate())).status());

        int sigStart = plain.indexOf("\r\n\r\n", plain.indexOf("application/pkcs7-signature", 200)) + 4;
        // the signature value sits at the end of the SignerInfo: change a base64 character near the end of the part
        int end = plain.lastIndexOf("\r\n--");
        int pos = end - 20;
        assertTrue(pos > sigStart);
        char c = plain.charAt(pos);
        char replacement = c == 'A' ? 'B' : 'A';
        byte[] flipped = (plain.substring(0, pos) + replacement + plain.substring(pos + 1)).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(VerificationStatus.BAD_SIGNATURE,
                receive(BOB, transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), flipped, BOB.certificate())).status());
    }

    @Test
    void flippedCiphertextBitIsNeverValid() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        byte[] der = TestMessages.cmsOf(msg);
        der[der.length - 400] ^= 0x01;
        byte[] tampered = TestMessages.wrap(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), der, "enveloped-data");
        try {
            assertNotEquals(VerificationStatus.VALID, receive(BOB, tampered).status());
        } catch (SmimeDecryptionException e) {
            assertTrue(Set.of(DecryptionFailure.CORRUPT_DATA, DecryptionFailure.MALFORMED_MIME).contains(e.reason()),
                    e.reason().name());
        }
    }

    @Test
    void truncatedMessageIsReportedAsTruncated() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        String s = new String(msg, StandardCharsets.ISO_8859_1);
        int cut = s.lastIndexOf("\r\n", s.length() * 2 / 3) + 2;
        byte[] truncated = Arrays.copyOf(msg, cut);
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> receive(BOB, truncated));
        assertEquals(DecryptionFailure.TRUNCATED, e.reason(), e.getMessage());
    }

    @Test
    void messageCutInsideABase64GroupIsTruncatedNotAnIoError() throws Exception {
        byte[] msg = send(writer(ALICE, BOB), headers("alice@kv-safenet.de", "bob@kv-safenet.de"));
        String s = new String(msg, StandardCharsets.ISO_8859_1);
        // keep one character of a 4-character group: the base64 decoder refuses the dangling character (found by
        // SmimeReaderFuzzTest: it escaped as IOException, which callers treat as a disk failure and retry)
        int body = s.indexOf("\r\n\r\n") + 4;
        int cut = s.indexOf("\r\n", s.length() / 2) + 2 + 1;
        assertEquals(1, s.substring(body, cut).replace("\r\n", "").length() % 4);
        byte[] truncated = Arrays.copyOf(msg, cut);
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> receive(BOB, truncated));
        assertEquals(DecryptionFailure.TRUNCATED, e.reason(), e.getMessage());
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void unencryptedMessageIsRefused() {
        byte[] plain = "From: a@b.de\r\nContent-Type: text/plain\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(DecryptionFailure.MALFORMED_MIME,
                assertThrows(SmimeDecryptionException.class, () -> receive(BOB, plain)).reason());
    }

    @Test
    void everyMissingOrUnusableCertificateIsListedAndNothingIsWritten() throws Exception {
        SmimeCredentials expired = PKI.user("expired@kv-safenet.de", Variant.EXPIRED);
        SmimeCredentials weak = PKI.user("weak@kv-safenet.de", Variant.RSA_1024);
        SmimeCredentials noKe = PKI.user("noke@kv-safenet.de", Variant.NO_KEY_ENCIPHERMENT);
        SmimeCredentials untrusted = PKI.user("untrusted@kv-safenet.de", Variant.UNTRUSTED_ROOT);
        SmimeWriter writer = writer(ALICE, BOB, expired, weak, noKe, untrusted);
        Map<String, String> h = headers("alice@kv-safenet.de", "bob@kv-safenet.de, nobody@kv-safenet.de, "
                + "expired@kv-safenet.de, weak@kv-safenet.de, noke@kv-safenet.de, untrusted@kv-safenet.de");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CertificateProblemsException e = assertThrows(CertificateProblemsException.class,
                () -> writer.write(businessEntity("x"), h, out));
        assertEquals(Set.of("nobody@kv-safenet.de", "expired@kv-safenet.de", "weak@kv-safenet.de", "noke@kv-safenet.de",
                "untrusted@kv-safenet.de"), e.problems().keySet());
        assertTrue(e.problems().get("nobody@kv-safenet.de").contains("no certificate"));
        assertTrue(e.problems().get("expired@kv-safenet.de").contains("expired"));
        assertTrue(e.problems().get("weak@kv-safenet.de").contains("2048"));
        assertTrue(e.problems().get("noke@kv-safenet.de").contains("keyEncipherment"));
        assertTrue(e.problems().get("untrusted@kv-safenet.de").contains("untrusted"));
        assertEquals(0, out.size());
    }

    @Test
    void headerInjectionIsRefusedBeforeAnythingIsWritten() throws Exception {
        SmimeWriter writer = writer(ALICE, BOB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> h = headers("alice@kv-safenet.de", "bob@kv-safenet.de");
        h.put("Subject", "Arztbrief\r\nBcc: spy@evil.example");
        InvalidHeaderException e = assertThrows(InvalidHeaderException.class, () -> writer.write(businessEntity("x"), h, out));
        assertEquals("Subject", e.header());
        Map<String, String> badAddress = headers("alice@kv-safenet.de", "bob@@kv-safenet.de");
        assertThrows(InvalidHeaderException.class, () -> writer.write(businessEntity("x"), badAddress, out));
        assertEquals(0, out.size());
    }

    @Test
    void aLargerAttachmentSurvivesByteForByte() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(42).nextBytes(payload);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(payload, "application/octet-stream");
        TestMessages.EntityPart entity = new TestMessages.EntityPart();
        jakarta.mail.internet.MimeMultipart mp = new jakarta.mail.internet.MimeMultipart(attachment);
        entity.setContent(mp);
        entity.update();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer(ALICE, BOB).write(entity, headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        try (DecryptedMessage m = reader(BOB).read(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals(VerificationStatus.VALID, m.verification().status());
            Multipart got = (Multipart) m.businessEntity().getContent();
            assertTrue(Arrays.equals(payload, got.getBodyPart(0).getInputStream().readAllBytes()));
        }
    }
}
