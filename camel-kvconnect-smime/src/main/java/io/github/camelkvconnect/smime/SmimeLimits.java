package io.github.camelkvconnect.smime;

/**
 * Caps that protect the reader against hostile input. Each is counted while the structure it limits is read (MIME
 * header blocks and parts line by line, ASN.1 elements as their tags and lengths arrive), never after the structure
 * has been built, so a message over a limit costs no more memory than the limit allows. Exceeding one raises
 * {@link SmimeDecryptionException} with {@link DecryptionFailure#LIMIT_EXCEEDED} and a message naming the limit and
 * its value. CMS CompressedData is always refused (no decompression bombs).
 *
 * @param maxNestingDepth     most nested S/MIME layers, and most multipart levels of the business entity and of a
 *                            multipart transport message (default 8)
 * @param maxHeaderBytes      most bytes of one header block: of the transport message, of every decrypted or signed
 *                            layer and of every MIME part (default 256 KiB)
 * @param maxHeaderCount      most header fields in one such header block (default 500)
 * @param maxPartCount        most MIME parts in the business entity, and in a multipart transport message, the
 *                            entity itself included (default 1000)
 * @param maxMessageBytes     most bytes of the transport message (default 4 GiB)
 * @param maxAsn1Depth        deepest ASN.1 nesting of every CMS structure read: the envelopes, an opaque SignedData
 *                            and the detached signature of a multipart/signed (default 32)
 * @param maxRecipientInfos   most RecipientInfos in one EnvelopedData/AuthEnvelopedData (default 256; every
 *                            recipient of a KeyAgreeRecipientInfo counts): each may cost an RSA private-key operation
 *                            or an ECDH when the reader has to try them
 * @param maxCertificates     most certificates, and separately most CRLs, in one SignedData (or in the OriginatorInfo
 *                            of an envelope), counted before any of them is used for path building (default 100)
 * @param maxAsn1ElementBytes most bytes of one ASN.1 element the reader holds in memory: the certificate and CRL sets,
 *                            SignerInfos, RecipientInfos, attributes, and the whole detached signature of a
 *                            multipart/signed. An element is charged its encoding plus 64 bytes for every element
 *                            inside it (what parsing it costs). The encrypted and the signed content are streamed and
 *                            not capped by it (default 4 MiB)
 * @param maxTotalHeaderBytes most bytes of all header blocks of the MIME parts of the business entity (or of a
 *                            multipart transport message) together: each part's block is within
 *                            {@code maxHeaderBytes}, and this bounds what parsing the whole tree holds (default 1 MiB)
 */
public record SmimeLimits(int maxNestingDepth, int maxHeaderBytes, int maxHeaderCount, int maxPartCount,
                          long maxMessageBytes, int maxAsn1Depth, int maxRecipientInfos, int maxCertificates,
                          int maxAsn1ElementBytes, int maxTotalHeaderBytes) {

    /** Default number of RecipientInfos accepted: far above any real distribution list. */
    public static final int DEFAULT_MAX_RECIPIENT_INFOS = 256;

    /** Default number of certificates (and of CRLs) in one SignedData: a real signature carries one to three. */
    public static final int DEFAULT_MAX_CERTIFICATES = 100;

    /** Default size of one ASN.1 element held in memory: a certificate is about 2 KiB, a real signature 10 KiB. */
    public static final int DEFAULT_MAX_ASN1_ELEMENT_BYTES = 4 * 1024 * 1024;

    /** Default size of all part header blocks of an entity together: a part's headers are a few hundred bytes. */
    public static final int DEFAULT_MAX_TOTAL_HEADER_BYTES = 1024 * 1024;

    public SmimeLimits {
        if (maxNestingDepth < 1 || maxHeaderBytes < 1 || maxHeaderCount < 1 || maxPartCount < 1 || maxMessageBytes < 1
            || maxAsn1Depth < 1 || maxRecipientInfos < 1 || maxCertificates < 1 || maxAsn1ElementBytes < 1
            || maxTotalHeaderBytes < 1) {
            throw new IllegalArgumentException("All S/MIME limits must be positive");
        }
    }

    /**
     * The limits without maxCertificates, maxAsn1ElementBytes and maxTotalHeaderBytes (kept for existing callers):
     * those get their defaults.
     */
    public SmimeLimits(int maxNestingDepth, int maxHeaderBytes, int maxHeaderCount, int maxPartCount, long maxMessageBytes,
                       int maxAsn1Depth, int maxRecipientInfos) {
        this(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth,
                maxRecipientInfos, DEFAULT_MAX_CERTIFICATES, DEFAULT_MAX_ASN1_ELEMENT_BYTES, DEFAULT_MAX_TOTAL_HEADER_BYTES);
    }

    /** The limits without maxRecipientInfos and the later ones (kept for existing callers): those get defaults. */
    public SmimeLimits(int maxNestingDepth, int maxHeaderBytes, int maxHeaderCount, int maxPartCount, long maxMessageBytes,
                       int maxAsn1Depth) {
        this(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth,
                DEFAULT_MAX_RECIPIENT_INFOS);
    }

    /** The defaults documented on the components. */
    public static SmimeLimits defaults() {
        return new SmimeLimits(8, 256 * 1024, 500, 1000, 4L * 1024 * 1024 * 1024, 32, DEFAULT_MAX_RECIPIENT_INFOS,
                DEFAULT_MAX_CERTIFICATES, DEFAULT_MAX_ASN1_ELEMENT_BYTES, DEFAULT_MAX_TOTAL_HEADER_BYTES);
    }

    public SmimeLimits withMaxNestingDepth(int v) {
        return new SmimeLimits(v, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth,
                maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxHeaderBytes(int v) {
        return new SmimeLimits(maxNestingDepth, v, maxHeaderCount, maxPartCount, maxMessageBytes, maxAsn1Depth,
                maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxHeaderCount(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, v, maxPartCount, maxMessageBytes, maxAsn1Depth,
                maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxPartCount(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, v, maxMessageBytes, maxAsn1Depth,
                maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxAsn1Depth(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes, v,
                maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxMessageBytes(long v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, v, maxAsn1Depth,
                maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxRecipientInfos(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes,
                maxAsn1Depth, v, maxCertificates, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxCertificates(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes,
                maxAsn1Depth, maxRecipientInfos, v, maxAsn1ElementBytes, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxAsn1ElementBytes(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes,
                maxAsn1Depth, maxRecipientInfos, maxCertificates, v, maxTotalHeaderBytes);
    }

    public SmimeLimits withMaxTotalHeaderBytes(int v) {
        return new SmimeLimits(maxNestingDepth, maxHeaderBytes, maxHeaderCount, maxPartCount, maxMessageBytes,
                maxAsn1Depth, maxRecipientInfos, maxCertificates, maxAsn1ElementBytes, v);
    }

    /**
     * The error for exceeding a limit. {@code what} states the value ("More than 1000 MIME parts"), the text adds the
     * limit's name; it never quotes the message.
     */
    static SmimeDecryptionException exceeded(String what, String limitName) {
        return new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED,
                what + " (limit " + limitName + "); the message is refused");
    }
}
