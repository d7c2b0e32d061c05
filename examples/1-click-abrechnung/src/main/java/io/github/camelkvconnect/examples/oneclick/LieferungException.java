package io.github.camelkvconnect.examples.oneclick;

/**
 * A file in the outbox that cannot be sent as a Lieferung (wrong name, invalid options file, ...). The message says
 * what to fix; the file is moved to {@code failed/} and nothing is sent.
 */
public class LieferungException extends Exception {

    private static final long serialVersionUID = 1L;

    public LieferungException(String message) {
        super(message);
    }

    public LieferungException(String message, Throwable cause) {
        super(message, cause);
    }
}
