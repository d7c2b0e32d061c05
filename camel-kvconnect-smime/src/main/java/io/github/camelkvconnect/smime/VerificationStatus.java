package io.github.camelkvconnect.smime;

import java.util.Collection;

/**
 * Outcome of checking a received message's signature(s); anything but {@link #VALID} names a problem.
 * <p>
 * <b>Severity.</b> A message has one or more layers (KV-Connect: an encryption with the signature inside it, a gateway
 * may wrap a whole message in a second one; KIM: the encryption, the opaque signature and the signed inner mail). Each
 * layer gets its own status and the message reports the <em>worst</em> of them ({@link #worst}), so no layer's VALID
 * hides another layer's problem. The constants are declared from the worst to the best, and {@link #severity()} follows
 * that order:
 * <ol>
 * <li>{@link #BAD_SIGNATURE}, {@link #REVOKED}: the content or the signature was altered, or the signing key may be in
 * the wrong hands;</li>
 * <li>{@link #SIGNER_ADDRESS_MISMATCH}, {@link #RECIPIENT_MISMATCH}: a real signature, but the message claims to come
 * from someone else or was signed for other recipients (impersonation, surreptitious forwarding);</li>
 * <li>{@link #UNTRUSTED_CHAIN}, {@link #UNSIGNED}, {@link #UNENCRYPTED_PART}, {@link #HEADER_MISMATCH}: content nobody
 * we trust vouches for;</li>
 * <li>{@link #INCOMPLETE_CHAIN}, {@link #WRONG_KEY_USAGE}, {@link #NOT_YET_VALID}, {@link #EXPIRED}: a correct
 * signature whose certificate could not be checked completely or is outside its rules or its validity period;</li>
 * <li>{@link #VALID}.</li>
 * </ol>
 * The rule behind the order: the less the content can be attributed to its claimed sender, the worse the status.
 */
public enum VerificationStatus {
    /** The signature does not match the content, or its signature/digest algorithm or signer key size is not allowed. */
    BAD_SIGNATURE,
    /**
     * A certificate of the path was revoked before the validation time, according to a CRL configured on the reader
     * ({@code SmimeReader.Builder.crls}); without configured CRLs revocation is not checked.
     */
    REVOKED,
    /** The signer certificate's e-mail address differs from the signed message's From address. */
    SIGNER_ADDRESS_MISMATCH,
    /**
     * The signature is correct, but the signed recipients (KIM: the signed recipient-emails attribute, else the To and
     * Cc of the signed inner mail) do not include the reading account's address: one of the real recipients may have
     * re-encrypted the signed message to this account (surreptitious forwarding). Checked only when the reader is
     * given the account's addresses ({@code SmimeReader.Builder.recipientAddresses}; the component passes the account
     * address), only for a signature otherwise valid, and only where the signature covers recipients: KIM's signed inner
     * mail. KV-Connect signs the body only, so its recipients cannot be checked.
     */
    RECIPIENT_MISMATCH,
    /**
     * The signer's chain ends in a root that is not among the trust anchors, PKIX rejects it (e.g. a name outside its
     * CA's name constraints), or the signer certificate's e-mail address has a form name constraints do not cover
     * ({@code user@domain.}).
     */
    UNTRUSTED_CHAIN,
    /**
     * A layer's content is not covered by a signature of that layer: no signature at all, a SignedData with zero
     * signers, or parts beside the signed entity (a multipart/mixed holding a multipart/signed and an unsigned part).
     * A signature of an enclosing layer does not count: it only vouches that the enclosing sender passed the content on.
     */
    UNSIGNED,
    /** The transport message holds content outside the encryption. */
    UNENCRYPTED_PART,
    /**
     * The unsigned outer headers (From, Sender, Reply-To, To, Cc) differ from those of the signed inner mail (KIM).
     * The inner ones are used; the difference is a sign that the message was altered on its way.
     */
    HEADER_MISMATCH,
    /** The signer's certificate or an intermediate certificate is missing, so no path to an anchor can be built. */
    INCOMPLETE_CHAIN,
    /** The signer certificate does not allow digitalSignature or lacks the emailProtection extended key usage. */
    WRONG_KEY_USAGE,
    /** A certificate of the path was not yet valid at the validation time. */
    NOT_YET_VALID,
    /** A certificate of the path had expired at the validation time. */
    EXPIRED,
    /** Signature correct, signer certificate valid and trusted at the validation time, signer = From. */
    VALID;

    /**
     * How bad this status is: 0 for {@link #VALID}, higher is worse; {@link #BAD_SIGNATURE} is the highest. The order
     * is the one documented on this type (the declaration order, reversed).
     */
    public int severity() {
        return values().length - 1 - ordinal();
    }

    /** Whether this status is worse than {@code other}. */
    public boolean isWorseThan(VerificationStatus other) {
        return severity() > other.severity();
    }

    /** The worst of {@code statuses}; {@link #VALID} if there are none. */
    public static VerificationStatus worst(Collection<VerificationStatus> statuses) {
        VerificationStatus worst = VALID;
        for (VerificationStatus s : statuses) {
            if (s.isWorseThan(worst)) {
                worst = s;
            }
        }
        return worst;
    }
}
