package io.github.camelkvconnect.component.state;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureLedgerTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    @Test
    void backoffGrowsAndIsCappedAndSurvivesRestart() throws Exception {
        Path file = dir.resolve("a.failures");
        FailureLedger ledger = new FailureLedger(file, Duration.ofMinutes(1), Duration.ofMinutes(3), clock);
        assertTrue(ledger.isDue("<m@x>", "k1"));
        assertEquals(1, ledger.recordFailure("<m@x>", "k1", "DECRYPT"));
        assertFalse(ledger.isDue("<m@x>", "k1"));
        clock.advance(Duration.ofSeconds(61));
        assertTrue(ledger.isDue("<m@x>", "k1"));
        assertEquals(2, ledger.recordFailure("<m@x>", "k1", "DECRYPT"));
        clock.advance(Duration.ofSeconds(61));
        assertFalse(ledger.isDue("<m@x>", "k1"), "second failure waits two minutes");
        clock.advance(Duration.ofSeconds(60));
        assertTrue(ledger.isDue("<m@x>", "k1"));
        ledger.recordFailure("<m@x>", "k1", "DECRYPT");
        ledger.recordFailure("<m@x>", "k1", "DECRYPT");
        clock.advance(Duration.ofSeconds(181));
        assertTrue(ledger.isDue("<m@x>", "k1"), "capped at the maximum");

        ledger.recordFailure("<m@x>", "k1", "FETCH");
        FailureLedger reloaded = new FailureLedger(file, Duration.ofMinutes(1), Duration.ofMinutes(3), clock);
        assertEquals(5, reloaded.attempts("<m@x>"));
        assertEquals("FETCH", reloaded.reason("<m@x>"), "the reason of the last failure is kept");
        assertFalse(reloaded.isDue("<m@x>", "k1"));
    }

    @Test
    void changedKeystoreMakesTheMessageDueAtOnce() throws Exception {
        FailureLedger ledger = new FailureLedger(dir.resolve("b.failures"), Duration.ofHours(1), Duration.ofHours(2), clock);
        ledger.recordFailure("<m@x>", "old-keystore", "DECRYPT");
        assertFalse(ledger.isDue("<m@x>", "old-keystore"));
        assertTrue(ledger.isDue("<m@x>", "new-keystore"));
    }

    @Test
    void quarantineSurvivesRestartIsNeverDueAndIsLiftedByAnotherKeystore() throws Exception {
        Path file = dir.resolve("q.failures");
        FailureLedger ledger = new FailureLedger(file, Duration.ofSeconds(1), Duration.ofSeconds(1), clock);
        ledger.recordFailure("<bad@x>", "k1", "PROCESSING");
        ledger.recordFailure("<other@x>", "k1", "DECRYPT_CORRUPT_DATA");
        assertTrue(ledger.quarantine("<bad@x>"), "newly quarantined");
        assertFalse(ledger.quarantine("<bad@x>"), "the alert is raised once");
        assertFalse(ledger.quarantine("<unknown@x>"), "only a message with a failure record");
        clock.advance(Duration.ofDays(30));
        assertFalse(ledger.isDue("<bad@x>", "k1"), "quarantined: not due, whatever the backoff says");
        assertTrue(ledger.isDue("<other@x>", "k1"));

        FailureLedger reloaded = new FailureLedger(file, Duration.ofSeconds(1), Duration.ofSeconds(1), clock);
        assertEquals(java.util.List.of("<bad@x>"), reloaded.quarantined("k1"));
        assertFalse(reloaded.isDue("<bad@x>", "k1"));
        assertEquals("PROCESSING", reloaded.reason("<bad@x>"));
        // another keystore: due again, and a failure under it counts anew without the quarantine
        assertTrue(reloaded.isDue("<bad@x>", "k2"));
        assertEquals(java.util.List.of(), reloaded.quarantined("k2"));
        assertEquals(1, reloaded.recordFailure("<bad@x>", "k2", "PROCESSING"));
        assertFalse(reloaded.isQuarantined("<bad@x>", "k2"));
        assertTrue(reloaded.quarantine("<bad@x>"), "quarantined again under the new keystore: alerted again");
        assertTrue(reloaded.release("<bad@x>"));
        assertTrue(reloaded.isDue("<bad@x>", "k2"));
        assertEquals(0, reloaded.attempts("<bad@x>"));
    }

    @Test
    void forgetsMessagesNoLongerOnTheServer() throws Exception {
        FailureLedger ledger = new FailureLedger(dir.resolve("c.failures"), Duration.ofHours(1), Duration.ofHours(2), clock);
        ledger.recordFailure("<gone@x>", "k", "DECRYPT");
        ledger.recordFailure("<still@x>", "k", "DECRYPT");
        ledger.retainOnly(java.util.Set.of("<still@x>"));
        assertEquals(1, ledger.size());
        assertEquals(0, ledger.attempts("<gone@x>"));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
