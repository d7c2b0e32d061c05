package io.github.camelkvconnect.smime;

/**
 * Base of every S/MIME failure of this module. Messages tell the user what to do and never contain key material,
 * passwords or decrypted content.
 */
public class SmimeException extends Exception {

    private static final long serialVersionUID = 1L;

    public SmimeException(String message) {
        super(message);
    }

    public SmimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
