package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CMS structures that Bouncy Castle rejects with an {@code IOException} (an ASN.1 tag it does not know inside the
 * EnvelopedData or AuthEnvelopedData, a SignedData whose content is cut off) are damaged messages:
 * {@link SmimeDecryptionException}, never an {@code IOException} (which the component treats as a local I/O failure and
 * retries). Found by {@link SmimeReaderFuzzTest}.
 */
class MalformedCmsTest {

    private static final String ENVELOPED_DATA = "2a864886f70d010703";
    private static final String AUTH_ENVELOPED_DATA = "2a864886f70d0109100117";

    @TempDir
    Path work;

    /** ContentInfo { type, [0] { version 0, empty SET, a primitive with the unknown universal tag 9 (REAL) } }. */
    private static byte[] withUnknownTag(String typeOid) {
        byte[] oid = hex(typeOid);
        byte[] inner = concat(hex("020100"), hex("3100"), hex("0900"));
        byte[] seq = concat(new byte[] { 0x30, (byte) inner.length }, inner);
        byte[] explicit = concat(new byte[] { (byte) 0xa0, (byte) seq.length }, seq);
        byte[] body = concat(new byte[] { 0x06, (byte) oid.length }, oid, explicit);
        return concat(new byte[] { 0x30, (byte) body.length }, body);
    }

    private SmimeDecryptionException read(byte[] transport) {
        SmimeReader reader = SmimeReader.builder().profiles(SmimeProfile.KVCONNECT, SmimeProfile.KIM)
                .credentials(FuzzHarness.BOB).trustAnchors(FuzzHarness.PKI.anchors()).workDirectory(work).build();
        return assertThrows(SmimeDecryptionException.class, () -> reader.read(new ByteArrayInputStream(transport)).close());
    }

    @Test
    void unknownTagInEnvelopedAndAuthEnvelopedData() throws Exception {
        for (String type : new String[] { ENVELOPED_DATA, AUTH_ENVELOPED_DATA }) {
            SmimeDecryptionException e = read(FuzzHarness.pkcs7Transport(withUnknownTag(type)));
            assertEquals(DecryptionFailure.CORRUPT_DATA, e.reason(), e.getMessage());
        }
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void signedDataCutInsideItsContentBehindTheDecryption() throws Exception {
        // a KIM message whose encrypted plaintext is the module's own opaque signed-data part, cut inside the signed
        // content: Bouncy Castle's content stream reports the missing bytes with an EOFException
        byte[] kim = FuzzHarness.validTransports().get(SmimeProfile.KIM.ordinal());
        byte[] plain = FuzzHarness.kimPlaintextOf(kim);
        String s = new String(plain, StandardCharsets.ISO_8859_1);
        int cut = s.indexOf("Befund", s.indexOf("\r\n\r\n") + 4) + 3;
        SmimeDecryptionException e = read(FuzzHarness.kimTransport(java.util.Arrays.copyOf(plain, cut)));
        assertEquals(DecryptionFailure.TRUNCATED, e.reason(), e.getMessage());
        try (var files = Files.list(work)) {
            assertEquals(0, files.count(), "no temporary file is left behind");
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
