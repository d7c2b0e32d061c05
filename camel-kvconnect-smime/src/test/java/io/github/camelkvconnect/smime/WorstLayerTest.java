package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.multipartSigned;
import static io.github.camelkvconnect.smime.TestMessages.toBytes;
import static io.github.camelkvconnect.smime.TestMessages.transport;
import static io.github.camelkvconnect.smime.VerificationStatus.BAD_SIGNATURE;
import static io.github.camelkvconnect.smime.VerificationStatus.EXPIRED;
import static io.github.camelkvconnect.smime.VerificationStatus.SIGNER_ADDRESS_MISMATCH;
import static io.github.camelkvconnect.smime.VerificationStatus.UNSIGNED;
import static io.github.camelkvconnect.smime.VerificationStatus.UNTRUSTED_CHAIN;
import static io.github.camelkvconnect.smime.VerificationStatus.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.smime.TestPki.Variant;

/**
 * The worst layer wins: two-layer KV-Connect messages built at test time (a gateway signs and encrypts a complete
 * KV-Connect message of the author, as in the real reference vector) report the worst of their layers' results, and
 * every layer's own result.
 */
class WorstLayerTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");
    private static final SmimeCredentials GATEWAY = PKI.user("gateway@kv-safenet.de");

    @TempDir
    Path work;

    /** The author's layer: {@code plaintext} encrypted for Bob, with the author's routing headers. */
    static byte[] innerMessage(byte[] plaintext) throws Exception {
        return transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), plaintext, BOB.certificate());
    }

    /**
     * The gateway's layer around a complete message, as the KVC-Mobile gateway of the reference vector builds it: the
     * message as a 7bit application/pkcs7-mime part, signed (multipart/signed) by the gateway and encrypted for Bob.
     */
    static byte[] gatewayLayer(byte[] innerMessage, SmimeCredentials gateway) throws Exception {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.write(("Content-Type: application/pkcs7-mime; name=\"smime.p7m\"; smime-type=enveloped-data\r\n"
                    + "Content-Transfer-Encoding: 7bit\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        part.write(innerMessage);
        // the gateway's From is its own address, the one in its certificate
        return transport(headers(CertificateChecks.emailOf(gateway.certificate()), "bob@kv-safenet.de"),
                multipartSigned(part.toByteArray(), gateway, true), BOB.certificate());
    }

    private DecryptedMessage read(byte[] transport) throws Exception {
        return SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build()
                .read(new ByteArrayInputStream(transport));
    }

    private static byte[] signedByAlice(String text) throws Exception {
        return multipartSigned(toBytes(businessEntity(text)), ALICE, true);
    }

    @Test
    void bothLayersValidReportTheAuthorAsSigner() throws Exception {
        try (DecryptedMessage m = read(gatewayLayer(innerMessage(signedByAlice("Befund")), GATEWAY))) {
            VerificationResult v = m.verification();
            assertEquals(2, m.layerCount());
            assertEquals(VALID, v.status(), v.detail());
            assertEquals(List.of(VALID, VALID), v.layerStatuses());
            assertEquals(ALICE.certificate(), v.signer(), "among equally good layers the innermost (the author's) counts");
            assertEquals(GATEWAY.certificate(), v.layers().get(0).signer());
            assertEquals(ALICE.certificate(), v.layers().get(1).signer());
            assertTrue(v.layers().stream().allMatch(l -> l.layers().isEmpty()), "a layer's result has no layers itself");
        }
    }

    @Test
    void unsignedPartBesideTheInnerSignatureIsNotValidUnderAValidOuterSignature() throws Exception {
        byte[] signed = signedByAlice("Befund");
        byte[] mixed = ("Content-Type: multipart/mixed; boundary=\"wrap\"\r\n\r\n--wrap\r\n"
                        + new String(signed, StandardCharsets.ISO_8859_1)
                        + "\r\n--wrap\r\nContent-Type: text/plain\r\n\r\nPay to account 123\r\n--wrap--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (DecryptedMessage m = read(gatewayLayer(innerMessage(mixed), GATEWAY))) {
            VerificationResult v = m.verification();
            assertEquals(UNSIGNED, v.status(), v.detail());
            assertEquals(List.of(VALID, UNSIGNED), v.layerStatuses());
            assertTrue(v.detail().startsWith("layer 2 of 2: "), v.detail());
            assertTrue(v.detail().contains("multipart/mixed"), v.detail());
            assertNull(v.signer(), "no signer vouches for the unsigned layer");
        }
    }

    @Test
    void unsignedInnerLayerIsNotValidUnderAValidOuterSignature() throws Exception {
        try (DecryptedMessage m = read(gatewayLayer(innerMessage(toBytes(businessEntity("Befund"))), GATEWAY))) {
            assertEquals(UNSIGNED, m.verification().status());
            assertEquals(List.of(VALID, UNSIGNED), m.verification().layerStatuses());
        }
    }

    @Test
    void innerBadSignatureUnderAnExpiredOuterCertificateIsReported() throws Exception {
        SmimeCredentials expiredGateway = PKI.user("old-gateway@kv-safenet.de", Variant.EXPIRED);
        String plain = new String(signedByAlice("Befund"), StandardCharsets.ISO_8859_1);
        byte[] altered = plain.replace("Befund", "Befunc").getBytes(StandardCharsets.ISO_8859_1);
        try (DecryptedMessage m = read(gatewayLayer(innerMessage(altered), expiredGateway))) {
            VerificationResult v = m.verification();
            assertEquals(BAD_SIGNATURE, v.status(), v.detail());
            assertEquals(List.of(EXPIRED, BAD_SIGNATURE), v.layerStatuses());
            assertEquals(ALICE.certificate(), v.signer(), "signer and detail are those of the worst layer");
            assertTrue(v.layers().get(0).detail().contains("expired on"), v.layers().get(0).detail());
        }
    }

    @Test
    void innerSignerAddressMismatchUnderAnExpiredOuterCertificateIsReported() throws Exception {
        SmimeCredentials expiredGateway = PKI.user("old-gateway@kv-safenet.de", Variant.EXPIRED);
        byte[] inner = transport(headers("carol@kv-safenet.de", "bob@kv-safenet.de"), signedByAlice("Befund"),
                BOB.certificate());
        try (DecryptedMessage m = read(gatewayLayer(inner, expiredGateway))) {
            assertEquals(SIGNER_ADDRESS_MISMATCH, m.verification().status());
            assertEquals(List.of(EXPIRED, SIGNER_ADDRESS_MISMATCH), m.verification().layerStatuses());
        }
    }

    @Test
    void innerUntrustedSignerUnderAValidOuterSignatureIsReported() throws Exception {
        SmimeCredentials mallory = PKI.user("mallory@kv-safenet.de", Variant.UNTRUSTED_ROOT);
        byte[] inner = transport(headers("mallory@kv-safenet.de", "bob@kv-safenet.de"),
                multipartSigned(toBytes(businessEntity("Befund")), mallory, true), BOB.certificate());
        try (DecryptedMessage m = read(gatewayLayer(inner, GATEWAY))) {
            VerificationResult v = m.verification();
            assertEquals(UNTRUSTED_CHAIN, v.status(), v.detail());
            assertEquals(List.of(VALID, UNTRUSTED_CHAIN), v.layerStatuses());
            assertEquals(mallory.certificate(), v.signer());
        }
    }

    @Test
    void anOuterProblemIsNotHiddenByAValidInnerLayer() throws Exception {
        SmimeCredentials expiredGateway = PKI.user("old-gateway@kv-safenet.de", Variant.EXPIRED);
        try (DecryptedMessage m = read(gatewayLayer(innerMessage(signedByAlice("Befund")), expiredGateway))) {
            assertEquals(EXPIRED, m.verification().status());
            assertEquals(List.of(EXPIRED, VALID), m.verification().layerStatuses());
            assertEquals(expiredGateway.certificate(), m.verification().signer());
        }
    }

    @Test
    void singleLayerMessageHasOneLayer() throws Exception {
        try (DecryptedMessage m = read(innerMessage(signedByAlice("Befund")))) {
            assertEquals(List.of(VALID), m.verification().layerStatuses());
            assertNull(m.verification().detail());
        }
    }

    /** The documented order, worst first; changing it is a change of the public contract. */
    @Test
    void severityOrderIsTheDocumentedOne() {
        List<VerificationStatus> worstFirst = List.of(BAD_SIGNATURE, VerificationStatus.REVOKED, SIGNER_ADDRESS_MISMATCH,
                VerificationStatus.RECIPIENT_MISMATCH, UNTRUSTED_CHAIN, UNSIGNED, VerificationStatus.UNENCRYPTED_PART,
                VerificationStatus.HEADER_MISMATCH, VerificationStatus.INCOMPLETE_CHAIN, VerificationStatus.WRONG_KEY_USAGE,
                VerificationStatus.NOT_YET_VALID, EXPIRED, VALID);
        assertEquals(Arrays.asList(VerificationStatus.values()), worstFirst);
        for (int i = 0; i + 1 < worstFirst.size(); i++) {
            assertTrue(worstFirst.get(i).isWorseThan(worstFirst.get(i + 1)), worstFirst.get(i).name());
        }
        assertEquals(0, VALID.severity());
        assertEquals(BAD_SIGNATURE, VerificationStatus.worst(List.of(EXPIRED, BAD_SIGNATURE, VALID)));
        assertEquals(VALID, VerificationStatus.worst(List.of()));
    }
}
