package io.github.camelkvconnect.smime;

import java.util.Objects;

/**
 * A transport message cannot be decrypted or read; {@link #reason()} says why. Every decryption failure of
 * {@link SmimeReader} is reported with this one type, so callers handle them uniformly (e.g. move the message to an
 * error folder and keep it). The message text never contains key material or plaintext.
 */
public class SmimeDecryptionException extends SmimeException {

    private static final long serialVersionUID = 1L;

    private final DecryptionFailure reason;

    public SmimeDecryptionException(DecryptionFailure reason, String message) {
        this(reason, message, null);
    }

    public SmimeDecryptionException(DecryptionFailure reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The machine-readable reason. */
    public DecryptionFailure reason() {
        return reason;
    }
}
