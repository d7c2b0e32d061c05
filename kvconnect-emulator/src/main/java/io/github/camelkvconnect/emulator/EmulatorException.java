package io.github.camelkvconnect.emulator;

/**
 * The emulator could not start or could not carry out an admin operation (bad configuration, unreadable accounts
 * file, unusable data directory, port in use, ...). The message says what to fix.
 */
public class EmulatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and what to do */
    public EmulatorException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do
     * @param cause the cause
     */
    public EmulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
