package io.github.camelkvconnect.component;

/**
 * A received message could not be decrypted. It stays on the server and is retried after a growing delay, or at once
 * when the keystore changes. The message names the Message-ID, the sender and a reason code, never key material.
 * <p>
 * Typical causes: the message was encrypted for another certificate (e.g. before a certificate renewal: configure
 * the keystore that holds the old key), the keystore is wrong, or the message is corrupt.
 */
public class KvConnectDecryptionException extends KvConnectMessageException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    public KvConnectDecryptionException(String messageId, String sender, String reason, Throwable cause) {
        super(messageId, sender, "Cannot decrypt KV-Connect message " + messageId + " from " + sender + " (reason: " + reason
                                 + "). The message stays on the server and is retried later or when the keystore changes."
                                 + " Check that the keystore holds the key of the certificate the sender used.",
              cause);
        this.reason = reason;
    }

    /** The reason code reported by the S/MIME layer. */
    public String getReason() {
        return reason;
    }
}
