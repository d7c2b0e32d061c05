package io.github.camelkvconnect.component.rest;

import org.apache.camel.spi.HttpResponseAware;

/**
 * A KV-Connect REST call failed: the server answered with an unexpected HTTP status, the call broke off, or the server
 * could not be reached at all ({@link KvConnectServerUnreachableException}).
 * <p>
 * The message names the request method, the URL path and the status, never credentials or message content. The HTTP
 * status is exposed through {@link HttpResponseAware} so that Camel's consumer health checks report it.
 */
public class KvConnectRestException extends java.io.IOException implements HttpResponseAware {

    private static final long serialVersionUID = 1L;

    private int httpResponseCode;
    private String httpResponseStatus;

    public KvConnectRestException(String message, int httpResponseCode, Throwable cause) {
        super(message, cause);
        this.httpResponseCode = httpResponseCode;
    }

    /** {@code true} for 5xx answers and connection problems: worth retrying later. */
    public boolean isTransient() {
        return httpResponseCode == 0 || httpResponseCode >= 500 || httpResponseCode == 429;
    }

    @Override
    public int getHttpResponseCode() {
        return httpResponseCode;
    }

    @Override
    public void setHttpResponseCode(int code) {
        this.httpResponseCode = code;
    }

    @Override
    public String getHttpResponseStatus() {
        return httpResponseStatus;
    }

    @Override
    public void setHttpResponseStatus(String status) {
        this.httpResponseStatus = status;
    }
}
