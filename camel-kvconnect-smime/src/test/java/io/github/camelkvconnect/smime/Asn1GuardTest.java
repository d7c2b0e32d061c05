package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

/**
 * {@link Asn1Guard} at each of its limits (limit passes, limit + 1 fails) and on the hostile lengths of catalogue P02,
 * fed the bytes as a parser would read them.
 */
class Asn1GuardTest {

    /** DER of id-signedData and id-envelopedData. */
    private static final byte[] SIGNED_DATA = { 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 7, 2 };
    private static final byte[] ENVELOPED_DATA = { 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 7, 3 };

    private static void feed(SmimeLimits limits, byte[] der) throws SmimeDecryptionException {
        Asn1Guard guard = new Asn1Guard(limits, der.length, true);
        // in small pieces, as a parser reads tags and lengths byte by byte
        for (int i = 0; i < der.length; i += 7) {
            guard.update(der, i, Math.min(7, der.length - i));
        }
    }

    private static SmimeDecryptionException refused(SmimeLimits limits, byte[] der) {
        return assertThrows(SmimeDecryptionException.class, () -> feed(limits, der));
    }

    /** Tag, definite length (DER form) and content. */
    static byte[] tlv(int tag, byte[]... content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : content) {
            body.writeBytes(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = body.size();
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A SignedData ContentInfo whose certificates [0] holds {@code certificates} small elements. */
    private static byte[] signedDataWithCertificates(int certificates, int crls) {
        byte[][] certs = new byte[certificates][];
        for (int i = 0; i < certificates; i++) {
            certs[i] = tlv(0x30, tlv(0x02, bytes(i & 0x7f)));
        }
        byte[][] revocations = new byte[crls][];
        for (int i = 0; i < crls; i++) {
            revocations[i] = tlv(0x30, tlv(0x02, bytes(i & 0x7f)));
        }
        byte[] signedData = tlv(0x30, tlv(0x02, bytes(1)), tlv(0x31), tlv(0x30, tlv(0x06, bytes(0x2a))),
                tlv(0xa0, certs), tlv(0xa1, revocations), tlv(0x31));
        return tlv(0x30, SIGNED_DATA, tlv(0xa0, signedData));
    }

    @Test
    void certificatesAtTheLimitPassAndOneMoreFails() {
        SmimeLimits limits = SmimeLimits.defaults().withMaxCertificates(5);
        assertDoesNotThrow(() -> feed(limits, signedDataWithCertificates(5, 5)));
        SmimeDecryptionException certs = refused(limits, signedDataWithCertificates(6, 0));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, certs.reason());
        assertTrue(certs.getMessage().contains("more than 5 certificates (limit maxCertificates)"), certs.getMessage());
        SmimeDecryptionException crls = refused(limits, signedDataWithCertificates(0, 6));
        assertTrue(crls.getMessage().contains("more than 5 CRLs (limit maxCertificates)"), crls.getMessage());
    }

    @Test
    void certificatesOfAnEnvelopeAreNotMistakenForItsAttributes() {
        SmimeLimits limits = SmimeLimits.defaults().withMaxCertificates(2);
        byte[][] attributes = new byte[5][];
        for (int i = 0; i < 5; i++) {
            attributes[i] = tlv(0x30, tlv(0x06, bytes(0x2a)), tlv(0x31));
        }
        // EnvelopedData: version, recipientInfos, encryptedContentInfo, unprotectedAttrs [1] with five attributes
        byte[] enveloped = tlv(0x30, tlv(0x02, bytes(0)), tlv(0x31), tlv(0x30, tlv(0x06, bytes(0x2a))), tlv(0xa1, attributes));
        assertDoesNotThrow(() -> feed(limits, tlv(0x30, ENVELOPED_DATA, tlv(0xa0, enveloped))));
        // but three certificates in its OriginatorInfo are counted
        byte[] originatorInfo = tlv(0xa0, tlv(0xa0, tlv(0x30), tlv(0x30), tlv(0x30)));
        byte[] withOriginator = tlv(0x30, tlv(0x02, bytes(2)), originatorInfo, tlv(0x31), tlv(0x30, tlv(0x06, bytes(0x2a))));
        SmimeDecryptionException e = refused(limits, tlv(0x30, ENVELOPED_DATA, tlv(0xa0, withOriginator)));
        assertTrue(e.getMessage().contains("maxCertificates"), e.getMessage());
    }

    @Test
    void depthAtTheLimitPassesAndOneMoreFails() {
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1Depth(10);
        assertDoesNotThrow(() -> feed(limits, nested(10)));
        SmimeDecryptionException e = refused(limits, nested(11));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("nested deeper than 10 levels (limit maxAsn1Depth)"), e.getMessage());
    }

    /** {@code levels} levels of elements: SEQUENCEs in each other, the innermost holding an INTEGER (a level too). */
    private static byte[] nested(int levels) {
        byte[] inner = tlv(0x02, bytes(1));
        for (int i = 1; i < levels; i++) {
            inner = tlv(0x30, inner);
        }
        return inner;
    }

    @Test
    void elementSizeAtTheLimitPassesAndOneMoreFails() {
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1ElementBytes(1000);
        // a certificate set off the spine of a SignedData costing exactly the limit, and one byte more
        assertDoesNotThrow(() -> feed(limits, signedDataWithCertificateSetCost(1000)));
        SmimeDecryptionException e = refused(limits, signedDataWithCertificateSetCost(1001));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("larger than 1000 bytes (limit maxAsn1ElementBytes)"), e.getMessage());
    }

    /**
     * A SignedData whose certificates set [0] holds one OCTET STRING; the set costs {@code cost}: its encoding (a 4-byte
     * header, then the OCTET STRING with a 4-byte header) plus the overhead of the one element inside it.
     */
    private static byte[] signedDataWithCertificateSetCost(int cost) {
        byte[] content = new byte[cost - Asn1Guard.ELEMENT_OVERHEAD - 8];
        byte[] signedData = tlv(0x30, tlv(0x02, bytes(1)), tlv(0x31), tlv(0x30, tlv(0x06, bytes(0x2a))),
                tlv(0xa0, tlv(0x04, content)), tlv(0x31));
        return tlv(0x30, SIGNED_DATA, tlv(0xa0, signedData));
    }

    @Test
    void manySmallElementsCostMoreThanTheirBytes() {
        // 4,000 empty OCTET STRINGs: 8,000 bytes, but as parsed objects far more than a 100,000-byte budget allows
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1ElementBytes(100_000);
        byte[][] empty = new byte[4000][];
        java.util.Arrays.fill(empty, tlv(0x04));
        byte[] signedData = tlv(0x30, tlv(0x02, bytes(1)), tlv(0x31), tlv(0x30, tlv(0x06, bytes(0x2a))),
                tlv(0xa1, tlv(0x30, empty)), tlv(0x31));
        SmimeDecryptionException e = refused(limits, tlv(0x30, SIGNED_DATA, tlv(0xa0, signedData)));
        assertTrue(e.getMessage().contains("maxAsn1ElementBytes"), e.getMessage());
    }

    @Test
    void theStreamedContentIsNotCappedByTheElementLimit() {
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1ElementBytes(1000);
        // EnvelopedData whose encryptedContent [0] (on the spine) is 100 KB
        byte[] encryptedContentInfo = tlv(0x30, tlv(0x06, bytes(0x2a)), tlv(0x30, tlv(0x06, bytes(0x2a))),
                tlv(0x80, new byte[100_000]));
        byte[] enveloped = tlv(0x30, tlv(0x02, bytes(0)), tlv(0x31), encryptedContentInfo);
        assertDoesNotThrow(() -> feed(limits, tlv(0x30, ENVELOPED_DATA, tlv(0xa0, enveloped))));
    }

    @Test
    void hugeDefiniteLengthsAreRefusedBeforeAnythingIsAllocated() {
        // catalogue P02: a RecipientInfos SET claiming 2^31 and 2^63 bytes inside an EnvelopedData of known length
        for (byte[] length : new byte[][] { bytes(0x84, 0x80, 0, 0, 0), bytes(0x88, 0x80, 0, 0, 0, 0, 0, 0, 0),
                                            bytes(0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff) }) {
            ByteArrayOutputStream set = new ByteArrayOutputStream();
            set.write(0x31);
            set.writeBytes(length);
            set.writeBytes(new byte[20]);
            byte[] enveloped = tlv(0x30, tlv(0x02, bytes(0)), set.toByteArray());
            SmimeDecryptionException e = refused(SmimeLimits.defaults(), tlv(0x30, ENVELOPED_DATA, tlv(0xa0, enveloped)));
            assertEquals(DecryptionFailure.CORRUPT_DATA, e.reason(), e.getMessage());
            // at the top level, with nothing of known length around it, the same claim looks like a cut-off message
            ByteArrayOutputStream top = new ByteArrayOutputStream();
            top.write(0x30);
            top.writeBytes(length);
            top.writeBytes(new byte[20]);
            assertEquals(DecryptionFailure.TRUNCATED, refused(SmimeLimits.defaults(), top.toByteArray()).reason());
        }
        // a length field of more than 8 octets
        assertEquals(DecryptionFailure.CORRUPT_DATA,
                refused(SmimeLimits.defaults(), bytes(0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1)).reason());
    }

    @Test
    void anIndefiniteLengthThatNeverEndsStopsAtTheElementLimit() {
        SmimeLimits limits = SmimeLimits.defaults().withMaxAsn1ElementBytes(10_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // SignedData (indefinite), certificates [0] indefinite, one SEQUENCE indefinite, then empty OCTET STRINGs forever
        out.writeBytes(bytes(0x30, 0x80));
        out.writeBytes(SIGNED_DATA);
        out.writeBytes(bytes(0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x03, 0x06, 0x01, 0x2a));
        out.writeBytes(bytes(0xa0, 0x80, 0x30, 0x80));
        for (int i = 0; i < 20_000; i++) {
            out.writeBytes(bytes(0x04, 0x00));
        }
        Asn1Guard guard = new Asn1Guard(limits, Long.MAX_VALUE, true);
        byte[] der = out.toByteArray();
        SmimeDecryptionException e = assertThrows(SmimeDecryptionException.class, () -> guard.update(der, 0, der.length));
        assertEquals(DecryptionFailure.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("maxAsn1ElementBytes"), e.getMessage());
    }

    @Test
    void aRealMessageOfBothProfilesPasses() throws Exception {
        for (byte[] transport : FuzzHarness.validTransports()) {
            byte[] der = TestMessages.cmsOf(transport);
            assertDoesNotThrow(() -> feed(SmimeLimits.defaults(), der));
        }
    }
}
