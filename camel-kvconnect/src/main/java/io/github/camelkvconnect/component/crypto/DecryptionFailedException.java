package io.github.camelkvconnect.component.crypto;

/**
 * The crypto layer could not decrypt a message. The reason code is coarse on purpose: all decryption failures are
 * handled alike, so that the server-visible behaviour reveals nothing about why.
 */
public class DecryptionFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * The component's own reason for a message the S/MIME layer found malformed because it is not encrypted at all (its
     * top-level Content-Type is no encrypted S/MIME type): KV-Connect accepts no unencrypted mail.
     */
    public static final String NOT_ENCRYPTED = "NOT_ENCRYPTED";

    private final String reason;

    public DecryptionFailedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The reason code reported by the S/MIME layer (e.g. NO_MATCHING_RECIPIENT, CORRUPT_DATA), or
     * {@link #NOT_ENCRYPTED}, {@code NO_KEY} (the keystore does not open) and {@code UNREADABLE} of the component. */
    public String getReason() {
        return reason;
    }
}
