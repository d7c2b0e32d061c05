package io.github.camelkvconnect.component;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The account's keystore cannot be used: not configured, missing, wrong PIN, damaged, or without a private key and its
 * certificate. The message names the keystore file and what to do; it never contains the PIN.
 */
public class KvConnectKeystoreException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path keystore;

    public KvConnectKeystoreException(Path keystore, String message, Throwable cause) {
        super(message, cause);
        this.keystore = keystore;
    }

    /** The keystore file (as configured), or null if none is configured. */
    public Path getKeystore() {
        return keystore;
    }
}
