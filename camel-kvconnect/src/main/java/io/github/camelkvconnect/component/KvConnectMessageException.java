package io.github.camelkvconnect.component;

import org.apache.camel.CamelException;

/** A problem with one received message; carries its Message-ID and sender. */
public class KvConnectMessageException extends CamelException {

    private static final long serialVersionUID = 1L;

    private final String messageId;
    private final String sender;

    public KvConnectMessageException(String messageId, String sender, String message, Throwable cause) {
        super(message, cause);
        this.messageId = messageId;
        this.sender = sender;
    }

    public String getMessageId() {
        return messageId;
    }

    public String getSender() {
        return sender;
    }
}
