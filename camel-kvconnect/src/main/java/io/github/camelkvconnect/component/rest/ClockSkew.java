package io.github.camelkvconnect.component.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects a local clock that differs from the KV-Connect server's: every answer's HTTP {@code Date} header is compared
 * with the local clock. Beyond the threshold one WARN is logged when the difference starts (a skew episode) and one
 * INFO when it is back within the threshold; the last measurement is available for the health check.
 * <p>
 * Detection only: certificate validity, CRL currency, token lifetimes and backoff keep using the local clock, never the
 * server's time. The server is outside the end-to-end security of KV-Connect (that is why messages are signed and
 * encrypted end to end), so its Date header must not decide whether a signer's certificate is valid: a compromised
 * server could otherwise make an expired or revoked certificate look valid by moving the time back.
 * <p>
 * The Date header has whole seconds and the answer takes a moment to arrive, so differences below a few seconds are
 * noise; the threshold is minutes.
 */
public final class ClockSkew {

    /** The default threshold: 5 minutes, the usual Kerberos/TLS tolerance; NTP keeps hosts well within it. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(ClockSkew.class);

    private final Clock clock;
    private final Duration threshold;
    private final String server;
    private Duration last;
    private Instant measuredAt;
    private boolean exceeded;

    /**
     * @param clock     the local clock (the endpoint's)
     * @param threshold the largest difference accepted without a warning; zero or negative turns detection off
     * @param server    the server's host, for the log lines
     */
    public ClockSkew(Clock clock, Duration threshold, String server) {
        this.clock = clock;
        this.threshold = threshold;
        this.server = server;
    }

    /** Compares the Date header of an answer (if there is one and it parses) with the local clock. */
    void observe(Optional<String> dateHeader) {
        if (threshold.isZero() || threshold.isNegative() || dateHeader.isEmpty()) {
            return;
        }
        Instant serverTime;
        try {
            serverTime = ZonedDateTime.parse(dateHeader.get().strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // an answer without a usable Date (a proxy's, a broken server's) says nothing about the clocks
            return;
        }
        Instant local = clock.instant();
        Duration skew = Duration.between(serverTime, local);
        boolean now = skew.abs().compareTo(threshold) > 0;
        synchronized (this) {
            last = skew;
            measuredAt = local;
            if (now == exceeded) {
                return;
            }
            exceeded = now;
        }
        if (now) {
            LOG.warn("The local clock is {} {} the KV-Connect server {} (server time {}, local time {}; more than {} "
                     + "apart). Certificate validity and CRLs are still judged by the local clock: messages from "
                     + "certificates that became valid or expire within that difference may be judged wrongly. Fix the "
                     + "host's time synchronisation (NTP).",
                    describe(skew.abs()), skew.isNegative() ? "behind" : "ahead of", server, serverTime, local,
                    describe(threshold));
        } else {
            LOG.info("The local clock agrees with the KV-Connect server {} again ({} apart, within {})", server,
                    describe(skew.abs()), describe(threshold));
        }
    }

    /** The last measured difference, local clock minus server clock (positive: the local clock is ahead). */
    public synchronized Optional<Duration> skew() {
        return Optional.ofNullable(last);
    }

    /** When (local clock) the last difference was measured. */
    public synchronized Optional<Instant> measuredAt() {
        return Optional.ofNullable(measuredAt);
    }

    /** Whether the last measured difference is beyond the threshold. */
    public synchronized boolean exceeded() {
        return exceeded;
    }

    public Duration threshold() {
        return threshold;
    }

    /** "24 h 0 min 3 s" rather than "PT24H0M3S" in log lines. */
    static String describe(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return s / 3600 + " h " + s % 3600 / 60 + " min " + s % 60 + " s";
        }
        if (s >= 60) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s + " s";
    }
}
