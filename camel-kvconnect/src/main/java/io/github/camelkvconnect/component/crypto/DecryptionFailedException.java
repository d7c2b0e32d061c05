package io.github.camelkvconnect.component.crypto;

/**
 * The crypto layer could not decrypt a message. The reason code is coarse on purpose: all decryption failures are
 * handled alike, so that the server-visible behaviour reveals nothing about why.
 */
public class DecryptionFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public DecryptionFailedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The reason code reported by the S/MIME layer (e.g. NO_MATCHING_RECIPIENT, CORRUPT_DATA). */
    public String getReason() {
        return reason;
    }
}
