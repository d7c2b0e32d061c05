package io.github.camelkvconnect.component;

import java.io.IOException;

import io.github.camelkvconnect.component.rest.KvConnectRestException;

/**
 * Posting an outgoing message to the server failed or its outcome is unknown (the server may have accepted it before
 * the answer was lost). Names the Message-ID the message was posted under, which the failed exchange also carries in
 * {@code CamelKvConnectMessageId}. It is a {@link KvConnectRestException} (same HTTP status, same
 * {@link #isTransient()}), so handlers for REST failures still match.
 * <p>
 * With an idempotency key ({@link #getIdempotencyKey()}, see the send ledger) a retry of the same exchange, file or
 * key posts the same Message-ID again and the message reaches the recipients once. Without one (a body that is no
 * file and no {@code CamelKvConnectIdempotencyKey}) a retry sends a new message.
 */
public class KvConnectSendException extends KvConnectRestException {

    private static final long serialVersionUID = 1L;

    private final String messageId;
    private final String idempotencyKey;

    public KvConnectSendException(String messageId, String idempotencyKey, IOException cause) {
        super(text(messageId, idempotencyKey, cause), cause instanceof KvConnectRestException r ? r.getHttpResponseCode() : 0,
                cause);
        this.messageId = messageId;
        this.idempotencyKey = idempotencyKey;
    }

    private static String text(String messageId, String idempotencyKey, IOException cause) {
        String retry = idempotencyKey != null
                ? "A retry of the same exchange, file or CamelKvConnectIdempotencyKey posts it again under the same "
                  + "Message-ID; the server does not deliver it twice."
                : "The message had no idempotency key: if the server received it before the failure, a retry delivers a "
                  + "second copy under a new Message-ID. Set CamelKvConnectIdempotencyKey (or send a file) to make "
                  + "retries safe.";
        return "Sending KV-Connect message " + messageId + " failed: " + cause.getMessage() + ". " + retry;
    }

    /** The Message-ID the message was posted under. */
    public String getMessageId() {
        return messageId;
    }

    /** The key the Message-ID is recorded under in the send ledger, or null if the send had none. */
    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public boolean isTransient() {
        return getCause() instanceof KvConnectRestException r ? r.isTransient() : true;
    }
}
