package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.headers;
import static io.github.camelkvconnect.smime.TestMessages.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * Every {@link SmimeLimits} cap counted while reading, at its boundary: a message exactly at the limit is read, one
 * over it is refused with {@link DecryptionFailure#LIMIT_EXCEEDED} and a text naming the limit and its value. The
 * messages are encrypted for the test recipient, so the limits are met where they matter: behind the decryption.
 */
class LimitBoundariesTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    private static DecryptedMessage read(SmimeLimits limits, byte[] message) throws Exception {
        return SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).limits(limits).build()
                .read(new ByteArrayInputStream(message));
    }

    private static void passes(SmimeLimits limits, byte[] message) throws Exception {
        try (DecryptedMessage m = read(limits, message)) {
            assertTrue(m.verification() != null);
        }
    }

    private static void refused(SmimeLimits limits, byte[] message, String text) {
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> read(limits, message).close());
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    private static byte[] encrypted(String entity) throws Exception {
        return transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"), entity.getBytes(StandardCharsets.ISO_8859_1),
                BOB.certificate());
    }

    /** A multipart/mixed entity of {@code leaves} text parts (the entity itself is one more part). */
    private static String parts(int leaves) {
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n");
        for (int i = 0; i < leaves; i++) {
            sb.append("--p\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        }
        return sb.append("--p--\r\n").toString();
    }

    /** Multipart levels down to a leaf at depth {@code depth} (the entity is at 0). */
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
    void partCount() throws Exception {
        SmimeLimits limits = SmimeLimits.defaults().withMaxPartCount(10);
        passes(limits, encrypted(parts(9)));
        refused(limits, encrypted(parts(10)), "More than 10 MIME parts (limit maxPartCount)");
    }

    @Test
    void partCountOfAMultipartTransport() throws Exception {
        // a multipart/mixed transport: the encrypted part and clear parts beside it
        byte[] encryptedPart = encrypted("Content-Type: text/plain\r\n\r\nx");
        String b = "t";
        StringBuilder sb = new StringBuilder("From: alice@kv-safenet.de\r\nContent-Type: multipart/mixed; boundary=\"" + b
                                             + "\"\r\n\r\n--" + b + "\r\n");
        sb.append(new String(encryptedPart, StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 4; i++) {
            sb.append("\r\n--").append(b).append("\r\nContent-Type: text/plain\r\n\r\nclear ").append(i);
        }
        sb.append("\r\n--").append(b).append("--\r\n");
        byte[] message = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        try (DecryptedMessage m = read(SmimeLimits.defaults().withMaxPartCount(6), message)) {
            // read, not refused; the unsigned encrypted content is worse than the clear parts beside it (worst layer wins)
            assertEquals(VerificationStatus.UNSIGNED, m.verification().status());
        }
        refused(SmimeLimits.defaults().withMaxPartCount(5), message, "More than 5 MIME parts (limit maxPartCount)");
    }

    @Test
    void mimeNestingDepth() throws Exception {
        SmimeLimits limits = SmimeLimits.defaults().withMaxNestingDepth(4);
        passes(limits, encrypted(nested(4)));
        refused(limits, encrypted(nested(5)), "MIME nesting deeper than 4 (limit maxNestingDepth)");
    }

    /** A multipart whose single part's header block has exactly {@code bytes} bytes and {@code fields} fields. */
    private static String partWithHeader(int bytes, int fields) {
        StringBuilder header = new StringBuilder("Content-Type: text/plain\r\n");
        for (int i = 1; i < fields - 1; i++) {
            header.append("X-F").append(i).append(": v\r\n");
        }
        String last = "X-Pad: ";
        int padding = bytes - header.length() - last.length() - 2;
        header.append(last).append("y".repeat(padding)).append("\r\n");
        assertEquals(bytes, header.length());
        return "Content-Type: multipart/mixed; boundary=\"h\"\r\n\r\n--h\r\n" + header + "\r\nbody\r\n--h--\r\n";
    }

    @Test
    void headerBytesOfAPart() throws Exception {
        SmimeLimits limits = SmimeLimits.defaults().withMaxHeaderBytes(5000);
        passes(limits, encrypted(partWithHeader(5000, 3)));
        refused(limits, encrypted(partWithHeader(5001, 3)), "A header block is larger than 5000 bytes (limit maxHeaderBytes)");
    }

    @Test
    void headerBytesOfAllPartsTogether() throws Exception {
        // the part's block of 2998 bytes plus the empty line ending it: 3000 bytes of part headers in the entity
        SmimeLimits limits = SmimeLimits.defaults().withMaxTotalHeaderBytes(3000);
        passes(limits, encrypted(partWithHeader(2998, 3)));
        refused(limits, encrypted(partWithHeader(2999, 3)),
                "The header blocks of the MIME parts are larger than 3000 bytes together (limit maxTotalHeaderBytes)");
    }

    @Test
    void headerBytesOfTheDecryptedEntity() throws Exception {
        SmimeLimits limits = SmimeLimits.defaults().withMaxHeaderBytes(5000);
        String header = "Content-Type: text/plain\r\nX-Pad: ";
        passes(limits, encrypted(header + "y".repeat(5000 - header.length() - 2) + "\r\n\r\nbody"));
        refused(limits, encrypted(header + "y".repeat(5001 - header.length() - 2) + "\r\n\r\nbody"), "maxHeaderBytes");
    }

    @Test
    void headerCountOfAPart() throws Exception {
        // the transport's own header block has 9 fields
        SmimeLimits limits = SmimeLimits.defaults().withMaxHeaderCount(12);
        passes(limits, encrypted(partWithHeader(500, 12)));
        refused(limits, encrypted(partWithHeader(500, 13)), "More than 12 header fields in a header block (limit maxHeaderCount)");
    }

    @Test
    void aLongHeaderLineIsOneField() throws Exception {
        // a line longer than the reader's 64 KiB line pieces counts once (the transport's header block has 10 fields)
        String header = "Content-Type: text/plain\r\nX-Long: " + "z".repeat(12 * 64 * 1024) + "\r\n";
        passes(SmimeLimits.defaults().withMaxHeaderCount(10).withMaxHeaderBytes(1 << 20), encrypted(
                "Content-Type: multipart/mixed; boundary=\"h\"\r\n\r\n--h\r\n" + header + "\r\nbody\r\n--h--\r\n"));
    }

    /** A multipart/signed by Alice whose SignedData carries {@code count} certificates (her chain, then copies). */
    private static byte[] signedWithCertificates(int count) throws Exception {
        byte[] entity = "Content-Type: text/plain\r\n\r\nBefund".getBytes(StandardCharsets.US_ASCII);
        List<X509Certificate> certificates = new ArrayList<>(ALICE.chain());
        while (certificates.size() < count) {
            certificates.add(ALICE.certificate());
        }
        CMSSignedDataGenerator g = new CMSSignedDataGenerator();
        g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(ALICE.privateKey()), ALICE.certificate()));
        g.addCertificates(new JcaCertStore(certificates.subList(0, count)));
        byte[] signature = g.generate(new CMSProcessableByteArray(entity), false).getEncoded();
        return encrypted(multipartSigned(entity, signature));
    }

    static String multipartSigned(byte[] entity, byte[] signature) {
        return "From: alice@kv-safenet.de\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
               + "micalg=sha-256; boundary=\"s\"\r\n\r\n--s\r\n" + new String(entity, StandardCharsets.ISO_8859_1)
               + "\r\n--s\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n"
               + Base64.getMimeEncoder().encodeToString(signature) + "\r\n--s--\r\n";
    }

    @Test
    void certificatesOfASignature() throws Exception {
        SmimeLimits limits = SmimeLimits.defaults().withMaxCertificates(5);
        try (DecryptedMessage m = read(limits, signedWithCertificates(5))) {
            assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().toString());
        }
        refused(limits, signedWithCertificates(6), "The SignedData holds more than 5 certificates (limit maxCertificates)");
    }

    /** {@code levels} levels of ASN.1 (nested SEQUENCEs around an INTEGER) as a detached signature. */
    private static byte[] signatureNested(int levels) throws Exception {
        byte[] inner = Asn1GuardTest.tlv(0x02, new byte[] { 1 });
        for (int i = 1; i < levels; i++) {
            inner = Asn1GuardTest.tlv(0x30, inner);
        }
        return encrypted(multipartSigned("Content-Type: text/plain\r\n\r\nx".getBytes(StandardCharsets.US_ASCII), inner));
    }

    @Test
    void asn1DepthOfASignature() throws Exception {
        // the envelope itself nests about ten levels: the limit lets it pass
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1Depth(20);
        try (DecryptedMessage m = read(limits, signatureNested(20))) {
            // within the limit, but no SignedData: the signature cannot be checked
            assertEquals(VerificationStatus.BAD_SIGNATURE, m.verification().status());
        }
        refused(limits, signatureNested(21), "The CMS structure is nested deeper than 20 levels (limit maxAsn1Depth)");
    }

    @Test
    void sizeOfASignature() throws Exception {
        // the envelope's RecipientInfos cost about 2,000 (their bytes plus the overhead of their elements)
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1ElementBytes(3000);
        byte[] entity = "Content-Type: text/plain\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
        try (DecryptedMessage m = read(limits, encrypted(multipartSigned(entity, octetString(3000))))) {
            assertEquals(VerificationStatus.BAD_SIGNATURE, m.verification().status());
        }
        refused(limits, encrypted(multipartSigned(entity, octetString(3001))),
                "The signature of the multipart/signed is larger than 3000 bytes (limit maxAsn1ElementBytes)");
    }

    /** An OCTET STRING of {@code total} bytes including its 4-byte header. */
    private static byte[] octetString(int total) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = total - 4;
        out.write(0x04);
        out.write(0x82);
        out.write(n >> 8);
        out.write(n);
        out.writeBytes(new byte[n]);
        return out.toByteArray();
    }
}
