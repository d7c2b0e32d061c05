package io.github.camelkvconnect.component;

/**
 * A waiting message could not be downloaded from the server (an error answer for this message, a broken connection
 * during the download, a body of the wrong length, too large or stalled). The message stays on the server and is
 * retried after a growing delay ({@code failureBackoff}); the messages behind it are read meanwhile. The message names
 * the Message-ID and the cause, never credentials or content.
 */
public class KvConnectFetchException extends KvConnectMessageException {

    private static final long serialVersionUID = 1L;

    public KvConnectFetchException(String messageId, String sender, Throwable cause) {
        super(messageId, sender, "Cannot fetch KV-Connect message " + messageId + " from the server (" + cause.getMessage()
                                 + "). The message stays on the server and is retried after the failure backoff; the "
                                 + "other messages are read meanwhile. If it keeps failing, ask the server operator about "
                                 + "this message.",
              cause);
    }
}
