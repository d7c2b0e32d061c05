package io.github.camelkvconnect.smime;

import jakarta.mail.internet.InternetHeaders;

/**
 * Combines the verification results of a message's signed layers, in the order they are unwrapped (outermost first),
 * into the message's result. The one place that decides how layers' results add up.
 */
final class LayerVerdicts {

    private VerificationResult combined;

    /** The first failing layer decides; if all are valid, the innermost signer is reported. */
    void add(VerificationResult layer) {
        if (combined == null || combined.isValid()) {
            combined = layer;
        }
    }

    /**
     * The signed content was a complete inner mail (KIM's message/rfc822): the signer is checked again against its
     * From, which the signature covers (the header integrity of KIM).
     */
    void recheckAddress(InternetHeaders signedHeaders, SmimeProfile profile) {
        combined = SignerAddressCheck.recheck(combined, signedHeaders, profile);
    }

    /**
     * The message's result: {@link VerificationStatus#UNSIGNED} without any signature, and
     * {@link VerificationStatus#UNENCRYPTED_PART} (keeping the signer) if the transport holds parts outside the
     * encryption.
     */
    VerificationResult result(boolean unencryptedPart) {
        VerificationResult v = combined;
        if (v == null) {
            v = VerificationResult.of(VerificationStatus.UNSIGNED, "the content carries no signature");
        }
        if (unencryptedPart) {
            v = new VerificationResult(VerificationStatus.UNENCRYPTED_PART, v.signerAddress(), v.signer(),
                    "the transport message holds parts outside the encryption");
        }
        return v;
    }
}
