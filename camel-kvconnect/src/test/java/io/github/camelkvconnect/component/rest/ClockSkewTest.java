package io.github.camelkvconnect.component.rest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.camelkvconnect.component.support.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clock skew against the server's Date header: one WARN per episode, one INFO when it is over. */
class ClockSkewTest {

    private final MutableClock local = new MutableClock();
    private final ClockSkew skew = new ClockSkew(local, Duration.ofMinutes(5), "kvc.example");

    private static Optional<String> date(Instant serverTime) {
        return Optional.of(DateTimeFormatter.RFC_1123_DATE_TIME.format(serverTime.atOffset(ZoneOffset.UTC)));
    }

    @Test
    void oneWarningPerEpisodeAndOneInfoWhenItIsOver() {
        String log = capturingStandardError(() -> {
            skew.observe(date(Instant.now()));
            assertFalse(skew.exceeded());
            local.advance(Duration.ofHours(24));
            for (int i = 0; i < 5; i++) {
                skew.observe(date(Instant.now()));
            }
            assertTrue(skew.exceeded());
            Duration measured = skew.skew().orElseThrow();
            assertTrue(measured.minus(Duration.ofHours(24)).abs().compareTo(Duration.ofSeconds(5)) < 0, measured::toString);
            local.advance(Duration.ofHours(-24));
            skew.observe(date(Instant.now()));
            skew.observe(date(Instant.now()));
            assertFalse(skew.exceeded());
            // a second episode, the other way round, warns again
            local.advance(Duration.ofHours(-24));
            skew.observe(date(Instant.now()));
            assertTrue(skew.skew().orElseThrow().isNegative(), "the local clock is behind");
        });
        assertEquals(2, count(log, "WARN"), log);
        assertEquals(1, count(log, "INFO"), log);
        assertTrue(log.contains("The local clock is 24 h 0 min") && log.contains("ahead of the KV-Connect server kvc.example"),
                log);
        assertTrue(log.contains("behind the KV-Connect server kvc.example"), log);
        assertTrue(log.contains("agrees with the KV-Connect server kvc.example again"), log);
    }

    @Test
    void missingOrBrokenDateHeadersAndSmallDifferencesSayNothing() {
        String log = capturingStandardError(() -> {
            skew.observe(Optional.empty());
            skew.observe(Optional.of("yesterday\r\nforged"));
            assertTrue(skew.skew().isEmpty());
            skew.observe(date(Instant.now().plus(Duration.ofMinutes(4))));
            assertFalse(skew.exceeded());
            assertTrue(skew.skew().isPresent());
        });
        assertEquals(0, count(log, "ClockSkew"), log);
    }

    @Test
    void zeroThresholdTurnsDetectionOff() {
        ClockSkew off = new ClockSkew(local, Duration.ZERO, "kvc.example");
        local.advance(Duration.ofDays(2));
        off.observe(date(Instant.now()));
        assertFalse(off.exceeded());
        assertTrue(off.skew().isEmpty());
    }

    private static String capturingStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple, the tests' logging backend, writes to whatever System.err is at the time of each log call
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }

    private static long count(String log, String what) {
        return log.lines().filter(l -> l.contains(what) && l.contains("ClockSkew")).count();
    }
}
