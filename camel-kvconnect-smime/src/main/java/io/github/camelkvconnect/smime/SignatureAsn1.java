package io.github.camelkvconnect.smime;

import java.io.IOException;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;

/** Parses the detached signature of a multipart/signed under the ASN.1 limits. */
final class SignatureAsn1 {

    private SignatureAsn1() {
    }

    /**
     * Refuses a signature whose ASN.1 nesting exceeds the limit (parsers recurse; hostile input could nest deeply).
     * Parsed lazily, one level at a time, so the walk stops at the limit before anything recurses deeper.
     *
     * @return the parsed signature, or null if it is not DER (the verification then reports BAD_SIGNATURE)
     */
    static ASN1Primitive parse(byte[] der, SmimeLimits limits) throws SmimeDecryptionException {
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            ASN1Primitive parsed = in.readObject();
            depth(parsed, 1, limits);
            return parsed;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void depth(ASN1Primitive o, int level, SmimeLimits limits) throws SmimeDecryptionException {
        if (level > limits.maxAsn1Depth()) {
            throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The signature's ASN.1 structure is nested "
                    + "deeper than " + limits.maxAsn1Depth() + " (limit maxAsn1Depth); the message is refused");
        }
        if (o instanceof ASN1Sequence seq) {
            for (ASN1Encodable e : seq) {
                depth(e.toASN1Primitive(), level + 1, limits);
            }
        } else if (o instanceof ASN1Set set) {
            for (ASN1Encodable e : set) {
                depth(e.toASN1Primitive(), level + 1, limits);
            }
        } else if (o instanceof ASN1TaggedObject tagged && tagged.isExplicit()) {
            depth(tagged.getBaseObject().toASN1Primitive(), level + 1, limits);
        }
    }
}
