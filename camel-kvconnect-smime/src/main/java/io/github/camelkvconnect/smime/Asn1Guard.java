package io.github.camelkvconnect.smime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Enforces the ASN.1 limits of a CMS structure as its bytes are read, before a parser acts on them: nesting depth
 * ({@code maxAsn1Depth}), the size of every element the reader holds in memory ({@code maxAsn1ElementBytes}: its
 * encoding plus {@link #ELEMENT_OVERHEAD} for every element inside it), the
 * number of certificates and CRLs ({@code maxCertificates}), and that no element claims more bytes than the element
 * holding it, or the data, has. Bouncy Castle allocates an array of an element's claimed length before reading it
 * (bounded only by the heap for a stream it does not know); a hostile length of 2^31 or an indefinite length that never
 * ends thus stops here with a typed error instead of an {@code OutOfMemoryError}.
 * <p>
 * Only tags and lengths are decoded; the content of primitive elements is skipped. The <em>spine</em> of a CMS
 * ContentInfo (the nested sequences down to the encrypted content or the encapsulated content and its octet string
 * chunks) carries the content, which the parsers stream, so it is not capped in size; every other element is.
 * <p>
 * Use as a stream filter ({@link #filter}) in front of a parser, or push bytes ({@link #update}) as they are decoded.
 * Not thread-safe; one per structure read.
 */
final class Asn1Guard {

    /** DER content octets of id-signedData (1.2.840.113549.1.7.2). */
    private static final byte[] SIGNED_DATA_OID = { 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 7, 2 };

    private static final int TAG = 0;
    private static final int TAG_MORE = 1;
    private static final int LENGTH = 2;
    private static final int LENGTH_MORE = 3;
    private static final int CONTENT = 4;
    private static final int DONE = 5;

    /**
     * What a parsed element costs in memory besides its bytes (object headers, references): an element held in memory
     * is charged its bytes plus this for every element in it, so that millions of two-byte elements do not fit in the
     * budget that a few large ones fit in.
     */
    static final int ELEMENT_OVERHEAD = 64;

    private static final int COUNT_NONE = 0;
    private static final int COUNT_CERTIFICATES = 1;
    private static final int COUNT_CRLS = 2;

    private final SmimeLimits limits;
    /** Bytes of the whole structure when known (a layer), else {@link Long#MAX_VALUE}. */
    private final long dataEnd;
    /** Whether a parser streams the spine (envelopes, opaque SignedData) or holds everything (detached signature). */
    private final boolean streamedSpine;

    // the open constructed elements, outermost first
    private final long[] end;
    private final int[] tag;
    private final boolean[] spine;
    private final int[] countKind;
    private final int[] children;
    private int depth;

    private long offset;
    private int state = TAG;
    private long headerStart;
    private int currentTag;
    private int tagBytes;
    private long length;
    private int lengthBytes;
    private long contentLeft;
    /** Offset where the outermost open element off the spine started, or -1. */
    private long offSpineStart = -1;
    /** Depth of the stack when that element was opened (it is popped when the stack gets back to this size). */
    private int offSpineDepth;
    /** Elements opened inside it, itself included. */
    private long offSpineElements;
    private boolean signedData;
    private boolean capturingOid;
    private final byte[] oid = new byte[SIGNED_DATA_OID.length];
    private int oidLength;
    private SmimeDecryptionException violation;

    /**
     * @param dataEnd       bytes of the structure if known, else {@link Long#MAX_VALUE}
     * @param streamedSpine true for a structure whose content a streaming parser passes through (it is then not
     *                      charged against {@code maxAsn1ElementBytes}); false for one held in memory as a whole
     */
    Asn1Guard(SmimeLimits limits, long dataEnd, boolean streamedSpine) {
        this.limits = limits;
        this.dataEnd = dataEnd;
        this.streamedSpine = streamedSpine;
        int capacity = limits.maxAsn1Depth() + 1;
        this.end = new long[capacity];
        this.tag = new int[capacity];
        this.spine = new boolean[capacity];
        this.countKind = new int[capacity];
        this.children = new int[capacity];
    }

    /** A stream over {@code layer} that enforces the limits on every byte a parser reads. */
    static Filter open(Layer layer, SmimeLimits limits) throws IOException {
        return new Filter(layer.open(), new Asn1Guard(limits, layer.size(), true));
    }

    /** The violation found so far (limit, or a length the data cannot hold), or null. */
    SmimeDecryptionException violation() {
        return violation;
    }

    /** True if the violation is a limit, as opposed to a broken structure. */
    boolean limitExceeded() {
        return violation != null && violation.reason() == DecryptionFailure.LIMIT_EXCEEDED;
    }

    /** Rethrows the violation, if any: a parser may have wrapped or swallowed the exception that reported it. */
    void throwIfViolated() throws SmimeDecryptionException {
        if (violation != null) {
            throw violation;
        }
    }

    /** Checks the next bytes of the structure. */
    void update(byte[] b, int off, int len) throws SmimeDecryptionException {
        if (violation != null) {
            throw violation;
        }
        int i = off;
        int stop = off + len;
        while (i < stop && state != DONE) {
            if (state == CONTENT) {
                int n = (int) Math.min(contentLeft, stop - i);
                if (capturingOid) {
                    for (int k = 0; k < n; k++) {
                        if (oidLength < oid.length) {
                            oid[oidLength] = b[i + k];
                        }
                        oidLength++;
                    }
                }
                i += n;
                offset += n;
                contentLeft -= n;
                checkOffSpineSize();
                if (contentLeft == 0) {
                    if (capturingOid) {
                        capturingOid = false;
                        signedData = oidLength == SIGNED_DATA_OID.length && Arrays.equals(oid, SIGNED_DATA_OID);
                    }
                    closeFinished();
                }
            } else {
                header(b[i] & 0xff);
                i++;
            }
        }
    }

    private void header(int b) throws SmimeDecryptionException {
        if (state == TAG) {
            headerStart = offset;
        }
        offset++;
        if (depth > 0 && end[depth - 1] >= 0 && offset > end[depth - 1]) {
            fail(DecryptionFailure.CORRUPT_DATA, "an ASN.1 element of the CMS structure runs past the element holding it");
        }
        switch (state) {
            case TAG -> {
                currentTag = b;
                tagBytes = 0;
                state = (b & 0x1f) == 0x1f ? TAG_MORE : LENGTH;
            }
            case TAG_MORE -> {
                if (++tagBytes > 4) {
                    fail(DecryptionFailure.CORRUPT_DATA, "an ASN.1 tag of the CMS structure is too long");
                }
                if ((b & 0x80) == 0) {
                    state = LENGTH;
                }
            }
            case LENGTH -> {
                if (b < 0x80) {
                    length = b;
                    open();
                } else if (b == 0x80) {
                    length = -1;
                    open();
                } else if (b == 0xff || (b & 0x7f) > 8) {
                    fail(DecryptionFailure.CORRUPT_DATA, "an ASN.1 length of the CMS structure is not valid");
                } else {
                    lengthBytes = b & 0x7f;
                    length = 0;
                    state = LENGTH_MORE;
                }
            }
            case LENGTH_MORE -> {
                // 8 length octets may overflow into the sign bit: such a length is larger than any data
                length = length < 0 || length > (Long.MAX_VALUE >> 8) ? Long.MAX_VALUE : (length << 8) | b;
                if (--lengthBytes == 0) {
                    open();
                }
            }
            default -> throw new IllegalStateException("header byte in state " + state);
        }
        checkOffSpineSize();
    }

    /** The header of an element is complete: check it against the limits and its container, then enter it. */
    private void open() throws SmimeDecryptionException {
        boolean constructed = (currentTag & 0x20) != 0;
        if (currentTag == 0 && depth > 0 && end[depth - 1] < 0) {
            // end-of-contents of an indefinite-length element
            if (length != 0) {
                fail(DecryptionFailure.CORRUPT_DATA, "an ASN.1 end-of-contents marker of the CMS structure is not valid");
            }
            pop();
            closeFinished();
            return;
        }
        if (length < 0 && !constructed) {
            fail(DecryptionFailure.CORRUPT_DATA, "a primitive ASN.1 element of the CMS structure has no length");
        }
        int level = depth + 1;
        if (level > limits.maxAsn1Depth()) {
            throw limit(SmimeLimits.exceeded("The CMS structure is nested deeper than " + limits.maxAsn1Depth()
                    + " levels", "maxAsn1Depth"));
        }
        if (length >= 0) {
            long bound = containerEnd();
            if (length > bound - offset) {
                // a length beyond the end of the data is what a cut-off message looks like; inside an element of
                // known length it is a damaged (or hostile) structure
                fail(bound == dataEnd && !insideDefinite() ? DecryptionFailure.TRUNCATED : DecryptionFailure.CORRUPT_DATA,
                        "an ASN.1 element of the CMS structure claims more bytes than there are");
            }
        }
        boolean onSpine = isSpine(level, currentTag, depth == 0 || spine[depth - 1]);
        // the spine is known either way (certificates are counted by their place on it), exempt only where streamed
        if (!(onSpine && streamedSpine)) {
            if (length > limits.maxAsn1ElementBytes()) {
                throw limit(SmimeLimits.exceeded("An ASN.1 element of the CMS structure is larger than "
                        + limits.maxAsn1ElementBytes() + " bytes", "maxAsn1ElementBytes"));
            }
            if (offSpineStart < 0) {
                offSpineStart = headerStart;
                offSpineDepth = depth;
                offSpineElements = 0;
            }
            offSpineElements++;
        }
        if (depth > 0 && countKind[depth - 1] != COUNT_NONE && ++children[depth - 1] > limits.maxCertificates()) {
            throw limit(SmimeLimits.exceeded("The SignedData holds more than " + limits.maxCertificates()
                    + (countKind[depth - 1] == COUNT_CRLS ? " CRLs" : " certificates"), "maxCertificates"));
        }
        if (constructed) {
            end[depth] = length < 0 ? -1 : offset + length;
            tag[depth] = currentTag;
            spine[depth] = onSpine;
            countKind[depth] = countKindOf(level, currentTag);
            children[depth] = 0;
            depth++;
            state = TAG;
            closeFinished();
        } else {
            capturingOid = level == 2 && currentTag == 0x06 && !signedData && oidLength == 0;
            contentLeft = length;
            state = CONTENT;
            if (contentLeft == 0) {
                capturingOid = false;
                closeFinished();
            }
        }
    }

    /**
     * The spine of a ContentInfo: SEQUENCE, [0] content, the SignedData/EnvelopedData SEQUENCE, its (encapsulated or
     * encrypted) content info SEQUENCE, its [0] content, and the OCTET STRING chunks within.
     */
    private static boolean isSpine(int level, int tagByte, boolean parentOnSpine) {
        if (!parentOnSpine) {
            return false;
        }
        return switch (level) {
            case 1, 3, 4 -> tagByte == 0x30;
            case 2 -> tagByte == 0xa0;
            case 5 -> tagByte == 0xa0 || tagByte == 0x80;
            default -> tagByte == 0x04 || tagByte == 0x24;
        };
    }

    /**
     * Which children of a new constructed element are counted: the certificates [0] and CRLs [1] of a SignedData
     * (level 4), and those of an envelope's OriginatorInfo (level 5, inside [0] at level 4).
     */
    private int countKindOf(int level, int tagByte) {
        if (tagByte != 0xa0 && tagByte != 0xa1) {
            return COUNT_NONE;
        }
        boolean certificateSet = signedData ? level == 4 && spine[2]
                : level == 5 && depth == 4 && tag[3] == 0xa0 && spine[2];
        if (!certificateSet) {
            return COUNT_NONE;
        }
        return tagByte == 0xa0 ? COUNT_CERTIFICATES : COUNT_CRLS;
    }

    private boolean insideDefinite() {
        for (int i = 0; i < depth; i++) {
            if (end[i] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The end of the innermost enclosing element of known length, else of the data. */
    private long containerEnd() {
        for (int i = depth - 1; i >= 0; i--) {
            if (end[i] >= 0) {
                return end[i];
            }
        }
        return dataEnd;
    }

    /** After an element ended (or a constructed one began): closes the definite-length elements that end here too. */
    private void closeFinished() {
        state = TAG;
        if (offSpineStart >= 0 && depth <= offSpineDepth) {
            // a primitive element off the spine is complete
            offSpineStart = -1;
        }
        while (depth > 0 && end[depth - 1] >= 0 && offset == end[depth - 1]) {
            pop();
        }
        if (depth == 0 && offset > 0) {
            // the top-level element is complete; what follows (e.g. a line break after binary DER) is not parsed
            state = DONE;
        }
    }

    private void pop() {
        depth--;
        if (offSpineStart >= 0 && depth <= offSpineDepth) {
            offSpineStart = -1;
        }
    }

    private void checkOffSpineSize() throws SmimeDecryptionException {
        // an indefinite-length element off the spine has no length to check in advance, and small elements cost more
        // memory than their bytes: an element costs its encoding (header included) plus ELEMENT_OVERHEAD for every
        // element inside it, counted as it is read
        if (offSpineStart >= 0
            && offset - offSpineStart + ELEMENT_OVERHEAD * (offSpineElements - 1) > limits.maxAsn1ElementBytes()) {
            throw limit(SmimeLimits.exceeded("An ASN.1 element of the CMS structure is larger than "
                    + limits.maxAsn1ElementBytes() + " bytes", "maxAsn1ElementBytes"));
        }
    }

    private SmimeDecryptionException limit(SmimeDecryptionException e) {
        violation = e;
        return e;
    }

    private void fail(DecryptionFailure reason, String what) throws SmimeDecryptionException {
        violation = new SmimeDecryptionException(reason, reason == DecryptionFailure.TRUNCATED
                ? DecryptionTexts.truncated("CMS structure") : DecryptionTexts.damagedStructure(what));
        throw violation;
    }

    /** A parser's input stream that passes every byte read through the guard first. */
    static final class Filter extends FilterInputStream {
        private final Asn1Guard guard;
        private final byte[] single = new byte[1];

        private Filter(InputStream in, Asn1Guard guard) {
            super(in);
            this.guard = guard;
        }

        Asn1Guard guard() {
            return guard;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                single[0] = (byte) b;
                check(single, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                check(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // every byte must pass the guard
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check(byte[] b, int off, int len) throws IOException {
            try {
                guard.update(b, off, len);
            } catch (SmimeDecryptionException e) {
                throw new Violation(e);
            }
        }
    }

    /** How a violation travels through a parser that only knows IOException; the guard keeps the original. */
    static final class Violation extends IOException {
        private static final long serialVersionUID = 1L;

        Violation(SmimeDecryptionException e) {
            super(e.getMessage());
        }
    }
}
