package io.github.camelkvconnect.component;

import org.apache.camel.CamelException;

/**
 * A header of a message to send has an invalid value (CR/LF or other control characters, or a malformed address).
 * Nothing was sent.
 */
public class KvConnectInvalidHeaderException extends CamelException {

    private static final long serialVersionUID = 1L;

    public KvConnectInvalidHeaderException(String message) {
        super(message);
    }
}
