package io.github.camelkvconnect.component;

/**
 * Lets crash tests stop the JVM at an exact point of the receipt handling, the way a kill -9 or a power loss would:
 * with the system property {@code camel.kvconnect.test.haltAt} set to a point's name, the process halts there
 * (no shutdown hooks, no finally blocks). Unset in every real deployment; then {@link #reached} does nothing.
 */
final class TestCrashPoint {

    /** The receipt and the delivered record are on the disk; the receipt has not been posted. */
    static final String RECEIPT_RECORDED = "receipt-recorded";
    /** The server accepted a just recorded receipt (first attempt); its record has not been removed. */
    static final String RECEIPT_SENT = "receipt-sent";

    private static final String HALT_AT = System.getProperty("camel.kvconnect.test.haltAt");

    private TestCrashPoint() {
    }

    static void reached(String point) {
        if (point.equals(HALT_AT)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
