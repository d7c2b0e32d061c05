package io.github.camelkvconnect.component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Rate limit for the consumer's WARN line per failed message: a flood of invalid messages (anyone can put messages into
 * a mailbox) must not flood the log. Up to {@code perWindow} lines per window are WARN; the rest go to DEBUG and are
 * counted, and the next permitted line is preceded by one WARN saying how many were left out. Every failed message is
 * still handed to the error handler.
 */
final class FailureLogLimit {

    private final int perWindow;
    private final Duration window;
    private final Clock clock;
    private Instant windowStart;
    private int logged;
    private int suppressed;

    FailureLogLimit(int perWindow, Duration window, Clock clock) {
        this.perWindow = perWindow;
        this.window = window;
        this.clock = clock;
    }

    /** What to do with one more failure line. */
    record Decision(boolean warn, int suppressedBefore) {
    }

    /**
     * @return whether this line may be a WARN, and (once per window, with the first permitted line) how many lines were
     *         left out in the windows before
     */
    synchronized Decision next() {
        Instant now = clock.instant();
        if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
            windowStart = now;
            logged = 0;
        }
        if (logged < perWindow) {
            logged++;
            int before = suppressed;
            suppressed = 0;
            return new Decision(true, before);
        }
        suppressed++;
        return new Decision(false, 0);
    }
}
