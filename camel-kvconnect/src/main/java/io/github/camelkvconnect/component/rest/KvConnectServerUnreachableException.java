package io.github.camelkvconnect.component.rest;

/**
 * The KV-Connect server could not be reached at all: the connection was refused or not established within the
 * {@code connectTimeout}. The server or the network is down; no request reached the server, so nothing about the
 * request (or the message it concerned) is at fault. Retry later; check {@code serverUrl} and the network if it lasts.
 */
public class KvConnectServerUnreachableException extends KvConnectRestException {

    private static final long serialVersionUID = 1L;

    public KvConnectServerUnreachableException(String message, Throwable cause) {
        super(message, 0, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
