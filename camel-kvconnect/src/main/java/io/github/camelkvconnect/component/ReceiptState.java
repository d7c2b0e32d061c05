package io.github.camelkvconnect.component;

/**
 * What became of the Eingangsbestaetigung (receipt, MDN) of a received message; the value of the header
 * {@link KvConnectConstants#RECEIPT_STATE}.
 */
public enum ReceiptState {
    /** The message did not ask for a receipt (no Disposition-Notification-To). */
    NOT_REQUESTED("not-requested"),
    /** The message asked for a receipt, but the endpoint does not send receipts (sendMdn=false). */
    DISABLED("disabled"),
    /**
     * The message asked for a receipt, but gets none: its signature did not verify (a receipt would tell an outsider
     * that a manipulated ciphertext decrypted), or its sender address cannot be used in a message header.
     */
    REFUSED("refused"),
    /**
     * Seen by the route: a receipt will be recorded and sent when the exchange completes successfully (a failed
     * exchange leaves the message on the server, without a receipt).
     */
    REQUESTED("requested"),
    /**
     * After completion: the receipt is recorded in the account's state but not sent yet (the POST failed); it is sent
     * again at the start of the next polls, with a growing backoff, until the server accepts it.
     */
    PENDING("pending"),
    /** After completion: the receipt was sent. */
    SENT("sent");

    private final String value;

    ReceiptState(String value) {
        this.value = value;
    }

    /** The header value, e.g. {@code pending}. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
