package io.github.camelkvconnect.smime;

/** Outcome of checking a received message's signature(s); anything but {@link #VALID} names the first problem found. */
public enum VerificationStatus {
    /** Signature correct, signer certificate valid and trusted at the validation time, signer = From. */
    VALID,
    /** The signature does not match the content, or its signature/digest algorithm or signer key size is not allowed. */
    BAD_SIGNATURE,
    /** The content carries no signature (or a SignedData with zero signers). */
    UNSIGNED,
    /** The signer's chain ends in a root that is not among the trust anchors. */
    UNTRUSTED_CHAIN,
    /** The signer's certificate or an intermediate certificate is missing, so no path to an anchor can be built. */
    INCOMPLETE_CHAIN,
    /** A certificate of the path had expired at the validation time. */
    EXPIRED,
    /**
     * A certificate of the path was revoked before the validation time, according to a CRL configured on the reader
     * ({@code SmimeReader.Builder.crls}); without configured CRLs revocation is not checked.
     */
    REVOKED,
    /** A certificate of the path was not yet valid at the validation time. */
    NOT_YET_VALID,
    /** The signer certificate does not allow digitalSignature or lacks the emailProtection extended key usage. */
    WRONG_KEY_USAGE,
    /** The signer certificate's e-mail address differs from the signed message's From address. */
    SIGNER_ADDRESS_MISMATCH,
    /** The transport message holds content outside the encryption. */
    UNENCRYPTED_PART
}
