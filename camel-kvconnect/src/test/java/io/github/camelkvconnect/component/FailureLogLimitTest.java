package io.github.camelkvconnect.component;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.github.camelkvconnect.component.support.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WARN budget for failed messages: a few per window, the rest counted and reported with the next WARN. */
class FailureLogLimitTest {

    @Test
    void warnsUpToTheLimitPerWindowThenCountsAndReportsWhatItLeftOut() {
        MutableClock clock = new MutableClock();
        FailureLogLimit limit = new FailureLogLimit(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 3; i++) {
            FailureLogLimit.Decision d = limit.next();
            assertTrue(d.warn());
            assertEquals(0, d.suppressedBefore());
        }
        for (int i = 0; i < 7; i++) {
            assertFalse(limit.next().warn(), "over the limit: DEBUG");
        }
        clock.advance(Duration.ofSeconds(59));
        assertFalse(limit.next().warn(), "still the same window");
        clock.advance(Duration.ofSeconds(1));
        FailureLogLimit.Decision next = limit.next();
        assertTrue(next.warn(), "a new window");
        assertEquals(8, next.suppressedBefore(), "the first WARN of the window says how many were left out");
        assertEquals(0, limit.next().suppressedBefore(), "said once");
    }
}
