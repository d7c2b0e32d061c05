package io.github.camelkvconnect.smime;

import java.io.IOException;

import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;

/** Parses the detached signature of a multipart/signed, once its DER has passed the ASN.1 limits. */
final class SignatureAsn1 {

    private SignatureAsn1() {
    }

    /**
     * @param der the signature as decoded by {@link SignaturePartDecoder} (depth, element sizes and certificate count
     *            already checked as it was decoded), or null if it is not well-formed
     * @return the parsed signature, or null if it is not DER (the verification then reports BAD_SIGNATURE)
     */
    static ASN1Primitive parse(byte[] der) {
        if (der == null) {
            return null;
        }
        // the array bounds every length the parser accepts; the nesting was checked before, so it cannot recurse deeply
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            return in.readObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
