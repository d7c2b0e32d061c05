package io.github.camelkvconnect.emulator.rest;

import java.util.Map;

/**
 * Ends a request with an HTTP error status and a message telling the client what is wrong. The message is shown to
 * the client, so it must never contain secrets.
 */
public final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    /**
     * @param status HTTP status
     * @param message what is wrong and what to do
     */
    public HttpProblem(int status, String message) {
        this(status, message, Map.of());
    }

    /**
     * @param status HTTP status
     * @param message the message
     * @param headers extra response headers
     */
    public HttpProblem(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return extra response headers */
    public Map<String, String> headers() {
        return headers;
    }
}
