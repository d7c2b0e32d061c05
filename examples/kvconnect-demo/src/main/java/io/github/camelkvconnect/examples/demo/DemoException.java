package io.github.camelkvconnect.examples.demo;

/** A problem the demo cannot continue with; the message says what to do. Never carries secrets. */
final class DemoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DemoException(String message) {
        super(message);
    }

    DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
