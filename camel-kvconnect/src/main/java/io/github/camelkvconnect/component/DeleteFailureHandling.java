package io.github.camelkvconnect.component;

/** How the consumer reports a message that was processed but could not be deleted on the server. */
public enum DeleteFailureHandling {
    /** Pass the error to the consumer's exception handler (WARN log by default; the route with bridgeErrorHandler). */
    exceptionHandler,
    /** Only log it at WARN level. */
    log
}
