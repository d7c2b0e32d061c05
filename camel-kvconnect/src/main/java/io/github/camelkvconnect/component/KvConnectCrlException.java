package io.github.camelkvconnect.component;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A configured CRL file ({@code crlFiles}) cannot be used: it does not exist, cannot be read, or holds no PEM or DER
 * certificate revocation list. The message names the file; the consumer does not start until it is fixed.
 */
public class KvConnectCrlException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path crlFile;

    public KvConnectCrlException(Path crlFile, String message, Throwable cause) {
        super(message, cause);
        this.crlFile = crlFile;
    }

    /** The CRL file as configured. */
    public Path getCrlFile() {
        return crlFile;
    }
}
