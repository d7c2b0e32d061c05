package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A configured CRL file cannot be used: it does not exist, cannot be read, or holds no PEM or DER certificate revocation
 * list. The message names the file and the problem; {@link #file()} gives it to callers that report it their own way.
 */
public class CrlFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CrlFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The CRL file as configured. */
    public Path file() {
        return file;
    }
}
