package io.github.camelkvconnect.examples.oneclick;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling (no fixed sleeps). */
final class Await {

    private Await() {
    }

    static <T> T until(String what, Duration timeout, Supplier<T> valueOrNull) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = valueOrNull.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
