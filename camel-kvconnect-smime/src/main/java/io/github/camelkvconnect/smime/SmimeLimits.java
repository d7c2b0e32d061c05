package io.github.camelkvconnect.smime;

/**
 * Caps that protect the reader against hostile input. Exceeding one raises {@link SmimeDecryptionException} with
 * {@link DecryptionFailure#LIMIT_EXCEEDED} and names the limit. CMS CompressedData is always refused (no decompression
 * bombs).
 *
 * @param maxNestingDepth  most nested S/MIME layers and MIME multipart levels (default 8)
 * @param maxHeaderBytes   most bytes of one header block (default 256 KiB)
 * @param maxHeaderCount   most header fields in one header block (default 500)
 * @param maxPartCount     most MIME parts in the business entity (default 1000)
 * @param maxMessageBytes  most bytes of the transport message (default 4 GiB)
 * @param maxAsn1Depth     deepest ASN.1 nesting of a detached signature (SignedData of multipart/signed; default 32)
 * @param maxRecipientInfos most RecipientInfos in one EnvelopedData/AuthEnvelopedData (default 256; every recipient of
 *                          a KeyAgreeRecipientInfo counts): each may cost an RSA private-key operation or an ECDH
 *                          when the reader has to try them
 */
public record SmimeLimits(int maxNestingDepth, int maxHeaderBytes, int maxHeaderCount, int maxPartCount,
                          long maxMessageBytes, int maxAsn1Depth, int maxRecipientInfos) {

    /** Default number of RecipientInfos accepted: far above any real distribution list. */
    public static final int DEFAULT_MAX_RECIPIENT_INFOS = 256;

    public SmimeLimits {
        if (maxNestingDepth < 1 || maxHeaderBytes < 1 || maxHeaderCount < 1 || maxPartCount < 1 || maxMessageBytes < 1
            || maxAsn1Depth < 1 || maxRecipientInfos < 1) {
            throw new IllegalArgumentException("All S/MIME limits must be positive");
        }
    }

    /** The limits without maxRecipientInfos (kept for existing callers): that one gets its default. */
    public SmimeLimits(int maxNestingDepth, int maxHeaderBytes, int maxHeaderCount, int maxPartCount, long maxMessageBytes,
                       int maxAsn1Depth) {
        this(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth,
                DEFAULT_MAX_RECIPIENT_INFOS);
    }

    /** The defaults documented on the components. */
    public static SmimeLimits defaults() {
        return new SmimeLimits(8, 256 * 1024, 500, 1000, 4L * 1024 * 1024 * 1024, 32, DEFAULT_MAX_RECIPIENT_INFOS);
    }

    public SmimeLimits withMaxNestingDepth(int v) {
        return new SmimeLimits(v, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth, maxRecipientInfos);
    }

    public SmimeLimits withMaxHeaderBytes(int v) {
        return new SmimeLimits(maxNestingDepth, v, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth, maxRecipientInfos);
    }

    public SmimeLimits withMaxHeaderCount(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, v, maxPartCount, maxMessageBytes, maxAsn1Depth, maxRecipientInfos);
    }

    public SmimeLimits withMaxPartCount(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, v, maxMessageBytes, maxAsn1Depth, maxRecipientInfos);
    }

    public SmimeLimits withMaxAsn1Depth(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, v, maxRecipientInfos);
    }

    public SmimeLimits withMaxMessageBytes(long v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, v, maxAsn1Depth, maxRecipientInfos);
    }

    public SmimeLimits withMaxRecipientInfos(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth, v);
    }
}
