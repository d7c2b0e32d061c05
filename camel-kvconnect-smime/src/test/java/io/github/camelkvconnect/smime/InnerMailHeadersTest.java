package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed KIM inner mail against what travels outside its signature. Catalogue R15: outer From/To/Cc/Reply-To/Sender
 * that differ from the signed inner headers are flagged HEADER_MISMATCH and never used (the routing headers are the
 * inner ones). Catalogue R16: a message signed for others and re-encrypted to this account (surreptitious forwarding)
 * is RECIPIENT_MISMATCH.
 */
class InnerMailHeadersTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kim.telematik");
    private static final SmimeCredentials BOB = PKI.user("bob@kim.telematik");
    private static final SmimeCredentials CAROL = PKI.user("carol@kim.telematik");

    @TempDir
    Path work;

    private static byte[] kimMessage(Map<String, String> headers, List<String> recipients, SmimeCredentials... known)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmimeWriter.builder().profile(SmimeProfile.KIM).credentials(ALICE).certificateResolver(TestPki.resolver(known))
                .trustAnchors(PKI.anchors()).build().write(businessEntity("Hallo KIM"), headers, recipients, out);
        return out.toByteArray();
    }

    private static byte[] aliceToBob() throws Exception {
        return kimMessage(headers("alice@kim.telematik", "bob@kim.telematik"), List.of("bob@kim.telematik"), BOB);
    }

    private DecryptedMessage read(SmimeCredentials own, byte[] transport) throws Exception {
        return SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(own).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).recipientAddresses(List.of(CertificateChecks.emailOf(own.certificate()))).workDirectory(work).build()
                .read(new ByteArrayInputStream(transport));
    }

    /** The transport with its (unsigned, unencrypted) header block changed. */
    private static byte[] withOuterHeaders(byte[] transport, String from, String to) {
        String s = new String(transport, StandardCharsets.ISO_8859_1);
        String head = TestMessages.headerBlock(transport);
        return (head.replace(from, to) + s.substring(head.length())).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void matchingOuterHeadersAreValidAndTheDesignedOuterSubjectIsNoMismatch() throws Exception {
        byte[] msg = aliceToBob();
        assertTrue(TestMessages.headerBlock(msg).contains("Subject: KOM-LE-Nachricht"));
        try (DecryptedMessage m = read(BOB, msg)) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            assertEquals("Arztbrief", m.routingHeaders().get("subject"), "the signed subject");
        }
    }

    @Test
    void outerFromDifferentFromTheSignedOneIsFlaggedAndNotUsed() throws Exception {
        byte[] msg = withOuterHeaders(aliceToBob(), "From: alice@kim.telematik", "From: chef@kim.telematik");
        try (DecryptedMessage m = read(BOB, msg)) {
            VerificationResult v = m.verification();
            assertEquals(VerificationStatus.HEADER_MISMATCH, v.status(), v.detail());
            assertTrue(v.detail().contains("From outside [chef@kim.telematik], signed [alice@kim.telematik]"), v.detail());
            assertEquals("alice@kim.telematik", m.routingHeaders().get("from"), "attribution from the signed mail only");
            assertEquals(ALICE.certificate(), v.signer());
        }
    }

    @Test
    void outerOnlyReplyToIsFlaggedAndNeverReachesTheRoutingHeaders() throws Exception {
        byte[] msg = withOuterHeaders(aliceToBob(), "To: bob@kim.telematik\r\n",
                "To: bob@kim.telematik\r\nReply-To: collector@evil.example\r\n");
        try (DecryptedMessage m = read(BOB, msg)) {
            assertEquals(VerificationStatus.HEADER_MISMATCH, m.verification().status(), m.verification().detail());
            assertNull(m.routingHeaders().get("reply-to"), "the outer Reply-To is not used");
            assertEquals("bob@kim.telematik", m.routingHeaders().get("to"));
        }
    }

    @Test
    void outerCcAddedIsFlagged() throws Exception {
        byte[] msg = withOuterHeaders(aliceToBob(), "To: bob@kim.telematik\r\n",
                "To: bob@kim.telematik\r\nCc: carol@kim.telematik\r\n");
        try (DecryptedMessage m = read(BOB, msg)) {
            assertEquals(VerificationStatus.HEADER_MISMATCH, m.verification().status());
            assertNull(m.routingHeaders().get("cc"));
        }
    }

    @Test
    void signedMailReEncryptedToAnotherAccountIsARecipientMismatch() throws Exception {
        // Bob decrypts Alice's message and re-encrypts her signed mail, unchanged, to Carol
        byte[] der = TestMessages.cmsOf(aliceToBob());
        CMSAuthEnvelopedDataParser parser = new CMSAuthEnvelopedDataParser(der);
        byte[] signedByAlice = null;
        for (RecipientInformation r : parser.getRecipientInfos().getRecipients()) {
            if (r.getRID().match(new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(BOB.certificate()))) {
                signedByAlice = r.getContent(new JceKeyTransAuthEnvelopedRecipient(BOB.privateKey())
                        .setProvider(CertificateChecks.BC));
            }
        }
        byte[] forwarded = KimEccTest.envelope(signedByAlice, KimEccTest.ktri(CAROL.certificate()));
        forwarded = withOuterHeaders(forwarded, "To: bob@kim.telematik, bob.ecc@kim.telematik", "To: carol@kim.telematik");
        try (DecryptedMessage m = read(CAROL, forwarded)) {
            VerificationResult v = m.verification();
            assertEquals(VerificationStatus.RECIPIENT_MISMATCH, v.status(), v.detail());
            assertTrue(v.detail().contains("bob@kim.telematik]") && v.detail().contains("[carol@kim.telematik]"), v.detail());
            assertTrue(v.detail().contains("recipient-emails"), "the signed attribute decides: " + v.detail());
            assertEquals(ALICE.certificate(), v.signer());
        }
        // without the account's address the reader cannot tell
        try (DecryptedMessage m = SmimeReader.builder().profiles(SmimeProfile.KIM).credentials(CAROL)
                .trustAnchors(PKI.anchors()).workDirectory(work).build().read(new ByteArrayInputStream(forwarded))) {
            assertNotEquals(VerificationStatus.RECIPIENT_MISMATCH, m.verification().status());
        }
    }

    @Test
    void blindCopyRecipientIsNamedInTheSignedRecipientEmailsAndValid() throws Exception {
        Map<String, String> h = headers("alice@kim.telematik", "bob@kim.telematik");
        h.put("Bcc", "carol@kim.telematik");
        byte[] msg = kimMessage(h, List.of("bob@kim.telematik", "carol@kim.telematik"), BOB, CAROL);
        assertFalse(TestMessages.headerBlock(msg).contains("carol"));
        try (DecryptedMessage m = read(CAROL, msg)) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
        }
    }
}
