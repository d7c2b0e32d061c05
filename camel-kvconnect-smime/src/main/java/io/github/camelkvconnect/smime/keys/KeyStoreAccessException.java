package io.github.camelkvconnect.smime.keys;

/**
 * The PIN-protected keystore could not be read or written: wrong PIN, damaged or missing file, no private
 * key entry, or an issued certificate that does not belong to the pending key. Messages never contain the PIN.
 */
public class KeyStoreAccessException extends Exception {

    private static final long serialVersionUID = 1L;

    public KeyStoreAccessException(String message) {
        super(message);
    }

    public KeyStoreAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
