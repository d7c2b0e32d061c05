package io.github.camelkvconnect.component;

/**
 * A received message was rejected because its signature is not valid ({@code signaturePolicy=reject}). It stays on the
 * server; the failure is recorded so it is not re-read on every poll.
 */
public class KvConnectSignatureException extends KvConnectMessageException {

    private static final long serialVersionUID = 1L;

    private final String status;

    public KvConnectSignatureException(String messageId, String sender, String status, String detail) {
        super(messageId, sender, "Rejected KV-Connect message " + messageId + " from " + sender + ": signature status " + status
                                 + (detail == null ? "" : " (" + detail + ")")
                                 + ". The message stays on the server. Use signaturePolicy=warn to receive it anyway.",
              null);
        this.status = status;
    }

    /** The signature status (e.g. BAD_SIGNATURE, UNTRUSTED). */
    public String getStatus() {
        return status;
    }
}
