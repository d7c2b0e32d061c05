package io.github.camelkvconnect.smime;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1SequenceParser;
import org.bouncycastle.asn1.ASN1StreamParser;
import org.bouncycastle.asn1.cms.ContentInfoParser;

/** The content type of a CMS layer, and how a parser failure of a CMS structure is classified. */
final class CmsStructures {

    private CmsStructures() {
    }

    // Layer.open() buffers without locks: Bouncy Castle's ASN.1 parsers read tags and lengths byte by byte
    static ASN1ObjectIdentifier contentTypeOf(Layer der, SmimeLimits limits) throws IOException, SmimeDecryptionException {
        Asn1Guard.Filter in = Asn1Guard.open(der, limits);
        try (in) {
            ContentInfoParser info = new ContentInfoParser((ASN1SequenceParser) new ASN1StreamParser(in).readObject());
            return info.getContentType();
        } catch (IOException | RuntimeException e) {
            in.guard().throwIfViolated();
            boolean truncated = isTruncation(e);
            throw new SmimeDecryptionException(truncated ? DecryptionFailure.TRUNCATED : DecryptionFailure.CORRUPT_DATA,
                    truncated ? DecryptionTexts.truncated("S/MIME body") : DecryptionTexts.malformedStructure("S/MIME body"),
                    e);
        }
    }

    static boolean isTruncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof EOFException || m.contains("eof") || m.contains("unexpected end") || m.contains("truncated")
                || m.contains("premature end") || m.contains("out of data")) {
                return true;
            }
        }
        return false;
    }

    static DecryptionFailure classifyStructure(Throwable e) {
        return isTruncation(e) ? DecryptionFailure.TRUNCATED : DecryptionFailure.CORRUPT_DATA;
    }

    static DecryptionFailure classifyContent(Throwable e, boolean auth) {
        if (isTruncation(e)) {
            return DecryptionFailure.TRUNCATED;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (auth && (m.contains("mac") || m.contains("tag") || t instanceof javax.crypto.AEADBadTagException)) {
                return DecryptionFailure.AUTHENTICATION_FAILED;
            }
        }
        return DecryptionFailure.CORRUPT_DATA;
    }
}
