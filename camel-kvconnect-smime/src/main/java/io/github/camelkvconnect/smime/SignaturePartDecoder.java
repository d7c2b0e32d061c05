package io.github.camelkvconnect.smime;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes the signature part of a multipart/signed as its lines arrive: its header block (under the header limits),
 * then the base64 (or binary) body, each decoded chunk passed through an {@link Asn1Guard} before it is kept. At most
 * {@code maxAsn1ElementBytes} of DER are held, and a SignedData with too many certificates fails at the first
 * certificate over {@code maxCertificates}, before the rest is decoded.
 */
final class SignaturePartDecoder {

    private final SmimeLimits limits;
    private final HeaderBlockReader headers;
    private final Asn1Guard guard;
    private final ByteArrayOutputStream der = new ByteArrayOutputStream();
    private boolean base64;
    /** Base64 characters not yet decoded (fewer than a chunk). */
    private final byte[] pending = new byte[4096];
    private int pendingLength;
    /** The DER is not a well-formed structure: the signature cannot be checked (not a limit). */
    private boolean malformed;

    SignaturePartDecoder(SmimeLimits limits) {
        this.limits = limits;
        this.headers = new HeaderBlockReader(limits);
        // held in memory as a whole (and parsed whole by the verification): nothing in it is streamed
        this.guard = new Asn1Guard(limits, Long.MAX_VALUE, false);
    }

    /** The next raw line of the signature part (with its line break). */
    void line(byte[] line) throws SmimeDecryptionException {
        if (!headers.complete()) {
            if (headers.add(line)) {
                String cte = headers.headers().getHeader("Content-Transfer-Encoding", null);
                base64 = cte != null && cte.strip().equalsIgnoreCase("base64");
            }
            return;
        }
        if (!base64) {
            decoded(line, 0, line.length);
            return;
        }
        for (byte b : line) {
            if (isBase64(b)) {
                pending[pendingLength++] = b;
                if (pendingLength == pending.length) {
                    flush(pendingLength);
                }
            }
        }
    }

    /**
     * The DER of the signature, or null if it is not a well-formed ASN.1 structure (the verification then reports
     * BAD_SIGNATURE).
     */
    byte[] finish() throws SmimeDecryptionException {
        if (base64 && pendingLength > 0) {
            flush(pendingLength - pendingLength % 4);
            if (pendingLength > 0) {
                // an unpadded end, as the MIME decoder accepts it (one character left over is an error)
                decoded(decode(Arrays.copyOf(pending, pendingLength), true));
                pendingLength = 0;
            }
        }
        return malformed ? null : der.toByteArray();
    }

    private void flush(int length) throws SmimeDecryptionException {
        int whole = length - length % 4;
        if (whole == 0) {
            return;
        }
        decoded(decode(Arrays.copyOf(pending, whole), false));
        System.arraycopy(pending, whole, pending, 0, pendingLength - whole);
        pendingLength -= whole;
    }

    private static byte[] decode(byte[] chars, boolean lenientEnd) throws SmimeDecryptionException {
        try {
            return (lenientEnd ? Base64.getMimeDecoder() : Base64.getDecoder()).decode(chars);
        } catch (IllegalArgumentException e) {
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    "The signature part cannot be read (its base64 is damaged)");
        }
    }

    private void decoded(byte[] bytes) throws SmimeDecryptionException {
        decoded(bytes, 0, bytes.length);
    }

    private void decoded(byte[] bytes, int off, int len) throws SmimeDecryptionException {
        if (malformed || len == 0) {
            return;
        }
        if (der.size() + (long) len > limits.maxAsn1ElementBytes()) {
            throw SmimeLimits.exceeded("The signature of the multipart/signed is larger than "
                    + limits.maxAsn1ElementBytes() + " bytes", "maxAsn1ElementBytes");
        }
        try {
            guard.update(bytes, off, len);
        } catch (SmimeDecryptionException e) {
            if (guard.limitExceeded()) {
                throw e;
            }
            // a broken structure is reported as BAD_SIGNATURE by the verification, as an unparsable one always was
            malformed = true;
            der.reset();
            return;
        }
        der.write(bytes, off, len);
    }

    private static boolean isBase64(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/'
               || b == '=';
    }
}
