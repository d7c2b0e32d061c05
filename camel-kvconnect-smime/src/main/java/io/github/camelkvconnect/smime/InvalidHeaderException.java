package io.github.camelkvconnect.smime;

/**
 * A routing header to be written in clear is unusable: it contains CR or LF (header injection), has an invalid name,
 * or an address header does not hold valid addresses. Raised before anything is written.
 */
public class InvalidHeaderException extends SmimeException {

    private static final long serialVersionUID = 1L;

    private final String header;

    public InvalidHeaderException(String header, String message) {
        super(message);
        this.header = header;
    }

    /** The offending header name. */
    public String header() {
        return header;
    }
}
