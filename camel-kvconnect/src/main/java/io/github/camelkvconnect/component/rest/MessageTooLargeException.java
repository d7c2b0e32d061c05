package io.github.camelkvconnect.component.rest;

/**
 * A message on the server is larger than the configured {@code maxMessageSize}: it is not downloaded (or the download
 * is stopped at the limit) and stays on the server. Raise {@code maxMessageSize} if such messages are expected, or ask
 * the sender to split the content.
 */
public class MessageTooLargeException extends KvConnectRestException {

    private static final long serialVersionUID = 1L;

    private final long limit;

    public MessageTooLargeException(String what, long limit, String seen) {
        super("KV-Connect REST call GET " + what + " refused: the message is larger than maxMessageSize (" + limit
              + " bytes; " + seen + "). It stays on the server; raise maxMessageSize if such messages are expected",
              0, null);
        this.limit = limit;
    }

    /** The configured limit in bytes. */
    public long getLimit() {
        return limit;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
