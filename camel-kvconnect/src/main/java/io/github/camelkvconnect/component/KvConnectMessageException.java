package io.github.camelkvconnect.component;

import org.apache.camel.CamelException;

import io.github.camelkvconnect.component.rest.MailHeader;

/**
 * A problem with one received message; carries its Message-ID and sender.
 * <p>
 * Both come from the server's header list and may hold anything. The message text, which ends up in logs, has control
 * characters and line breaks replaced ({@link MailHeader#display(String)}), also those of cause messages quoted in it.
 * {@link #getMessageId()} and {@link #getSender()} return the raw values: an error handler matches them against the
 * exchange's {@code CamelKvConnectMessageId} header (also raw) or uses the id to address the message on the server.
 * Whoever logs them should pass them through {@link MailHeader#display(String)}.
 */
public class KvConnectMessageException extends CamelException {

    private static final long serialVersionUID = 1L;

    private final String messageId;
    private final String sender;

    public KvConnectMessageException(String messageId, String sender, String message, Throwable cause) {
        super(MailHeader.display(message), cause);
        this.messageId = messageId;
        this.sender = sender;
    }

    /** The Message-ID exactly as the server listed it (not sanitized; see the class comment). */
    public String getMessageId() {
        return messageId;
    }

    /** The From header exactly as the server listed it (not sanitized; see the class comment). */
    public String getSender() {
        return sender;
    }
}
