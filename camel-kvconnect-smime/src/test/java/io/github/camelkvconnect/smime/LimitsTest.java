package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.multipartSigned;
import static io.github.camelkvconnect.smime.TestMessages.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.bouncycastle.cms.CMSCompressedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.junit.jupiter.api.Test;

/** Each {@link SmimeLimits} cap, and CompressedData, gives a typed error naming the limit. */
class LimitsTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    private static SmimeDecryptionException refused(SmimeLimits limits, byte[] message) {
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).limits(limits).build();
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class,
                () -> reader.read(new ByteArrayInputStream(message)).close());
        return e;
    }

    private static byte[] signedAndEncrypted(String entity) throws Exception {
        byte[] signed = multipartSigned(entity.getBytes(StandardCharsets.ISO_8859_1), ALICE, true);
        return transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), signed, BOB.certificate());
    }

    private static String nested(int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            open.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
            close.insert(0, "\r\n--b" + i + "--\r\n");
        }
        return open + "Content-Type: text/plain\r\n\r\nleaf" + close;
    }

    @Test
    void mimeNestingDepth() throws Exception {
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxNestingDepth(3), signedAndEncrypted(nested(6)));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxNestingDepth"));
    }

    @Test
    void partCount() throws Exception {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (int i = 0; i < 20; i++) {
            sb.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        sb.append("--p--\r\n");
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxPartCount(10), signedAndEncrypted(sb.toString()));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxPartCount"));
    }

    @Test
    void headerCount() throws Exception {
        Map<String, String> h = headers("alice@kv-safenet.de", "bob@kv-safenet.de");
        for (int i = 0; i < 30; i++) {
            h.put("X-Filler-" + i, "v");
        }
        byte[] msg = transport(h, "Content-Type: text/plain\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), BOB.certificate());
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxHeaderCount(20), msg);
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxHeaderCount"));
    }

    @Test
    void headerBytes() throws Exception {
        Map<String, String> h = headers("alice@kv-safenet.de", "bob@kv-safenet.de");
        h.put("X-Long", "y".repeat(5000));
        byte[] msg = transport(h, "Content-Type: text/plain\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), BOB.certificate());
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxHeaderBytes(4096), msg);
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxHeaderBytes"));
    }

    @Test
    void messageSize() throws Exception {
        byte[] msg = signedAndEncrypted("Content-Type: text/plain\r\n\r\n" + "z".repeat(20_000));
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxMessageBytes(10_000), msg);
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxMessageBytes"));
    }

    @Test
    void nestedEncryptionLayers() throws Exception {
        // a message whose decrypted content is again a complete encrypted message, several times
        byte[] msg = signedAndEncrypted("Content-Type: text/plain\r\n\r\ninner");
        for (int i = 0; i < 4; i++) {
            msg = transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), msg, BOB.certificate());
        }
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxNestingDepth(2), msg);
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
    }

    @Test
    void asn1DepthOfTheSignature() throws Exception {
        byte[] signed = multipartSigned("Content-Type: text/plain\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), ALICE, true);
        byte[] msg = transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), signed, BOB.certificate());
        // the real signature (certificates included) nests about a dozen levels: a limit of 5 refuses it
        SmimeDecryptionException e = refused(SmimeLimits.defaults().withMaxAsn1Depth(5), msg);
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxAsn1Depth"));
        // and a hostile signature of 200 nested SEQUENCEs is refused with the default limit
        org.bouncycastle.asn1.ASN1Encodable deep = new org.bouncycastle.asn1.DERSequence();
        for (int i = 0; i < 200; i++) {
            deep = new org.bouncycastle.asn1.DERSequence(deep);
        }
        String sig = java.util.Base64.getMimeEncoder().encodeToString(deep.toASN1Primitive().getEncoded());
        byte[] hostile = ("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; "
                          + "boundary=\"s\"\r\n\r\n--s\r\nContent-Type: text/plain\r\n\r\nx\r\n--s\r\n"
                          + "Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                          + sig + "\r\n--s--\r\n").getBytes(StandardCharsets.US_ASCII);
        SmimeDecryptionException deepError = refused(SmimeLimits.defaults(),
                transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), hostile, BOB.certificate()));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, deepError.reason());
    }

    @Test
    void compressedDataIsRefused() throws Exception {
        byte[] compressed = new CMSCompressedDataGenerator().generate(
                new CMSProcessableByteArray(new byte[1_000_000]), new ZlibCompressor()).getEncoded();
        byte[] inner = TestMessages.wrap(Map.of("X-Inner", "1"), compressed, "compressed-data");
        byte[] msg = transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), inner, BOB.certificate());
        SmimeDecryptionException e = refused(SmimeLimits.defaults(), msg);
        assertEquals(DecryptionFailure.ALGORITHM_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("CompressedData"));
    }
}
