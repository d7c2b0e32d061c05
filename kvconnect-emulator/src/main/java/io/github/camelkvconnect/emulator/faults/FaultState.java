package io.github.camelkvconnect.emulator.faults;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.github.camelkvconnect.emulator.Endpoint;

/**
 * The armed faults, shared by the REST handlers (which consume them) and the admin APIs (which arm them).
 * All methods are synchronized: faults are counted exactly, also under concurrent requests.
 */
public final class FaultState {

    /** How a stored message is damaged when served. */
    public enum FetchDamage {
        /** Bytes in the middle of the message are flipped; the length stays the same. */
        CORRUPT,
        /** Only the first half of the message is served, as a complete HTTP response. */
        TRUNCATE
    }

    /**
     * A DELETE fault.
     *
     * @param status        the HTTP status to answer
     * @param deleteAnyway  whether the message is deleted although the answer is an error
     */
    public record DeleteFailure(int status, boolean deleteAnyway) {
    }

    private static final class PerEndpoint {
        int failCount;
        int failStatus;
        Duration latency = Duration.ZERO;
        int closeCount;
        int dropCount;
    }

    private final Map<Endpoint, PerEndpoint> endpoints = new EnumMap<>(Endpoint.class);
    private int deleteFailCount;
    private DeleteFailure deleteFailure;
    private int fetchDamageCount;
    private FetchDamage fetchDamage;
    private Integer nextCsrOutcome;

    private PerEndpoint of(Endpoint endpoint) {
        return endpoints.computeIfAbsent(endpoint, e -> new PerEndpoint());
    }

    /** Arms: the next {@code count} calls of the endpoint answer {@code status}. */
    public synchronized void failNext(Endpoint endpoint, int count, int status) {
        requireCount(count);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("Fault status " + status + " is not an HTTP error status (400-599)");
        }
        PerEndpoint p = of(endpoint);
        p.failCount = count;
        p.failStatus = status;
    }

    /** Arms: every call of the endpoint is delayed by {@code latency} (zero to switch off). */
    public synchronized void latency(Endpoint endpoint, Duration latency) {
        if (latency == null || latency.isNegative()) {
            throw new IllegalArgumentException("Latency must be zero or positive");
        }
        of(endpoint).latency = latency;
    }

    /** Arms: the next {@code count} calls of the endpoint get their connection closed without any answer. */
    public synchronized void closeConnection(Endpoint endpoint, int count) {
        requireCount(count);
        requireHttp(endpoint);
        of(endpoint).closeCount = count;
    }

    /**
     * Arms: the next {@code count} calls of the endpoint are processed, but their connection is closed instead of
     * sending the answer.
     *
     * @param endpoint the endpoint
     * @param count    how many calls
     */
    public synchronized void dropResponse(Endpoint endpoint, int count) {
        requireCount(count);
        requireHttp(endpoint);
        of(endpoint).dropCount = count;
    }

    /** Arms: the next {@code count} DELETEs of a mail answer {@code status}, deleting the mail or not. */
    public synchronized void failDelete(int count, int status, boolean deleteAnyway) {
        requireCount(count);
        deleteFailCount = count;
        deleteFailure = new DeleteFailure(status, deleteAnyway);
    }

    /** Arms: the next {@code count} fetches of a single mail are served damaged. */
    public synchronized void damageFetch(int count, FetchDamage damage) {
        requireCount(count);
        fetchDamageCount = count;
        fetchDamage = damage;
    }

    /** Arms: the next CSR ends with the given final status (900-903) instead of being processed. */
    public synchronized void nextCsrOutcome(int status) {
        if (status < 900 || status > 903) {
            throw new IllegalArgumentException("CSR fault status must be 900, 901, 902 or 903, not " + status);
        }
        nextCsrOutcome = status;
    }

    /** Disarms every fault. */
    public synchronized void reset() {
        endpoints.clear();
        deleteFailCount = 0;
        deleteFailure = null;
        fetchDamageCount = 0;
        fetchDamage = null;
        nextCsrOutcome = null;
    }

    /** @return the latency to add to a call of the endpoint */
    public synchronized Duration latencyOf(Endpoint endpoint) {
        PerEndpoint p = endpoints.get(endpoint);
        return p == null ? Duration.ZERO : p.latency;
    }

    /** @return whether this call's connection must be closed (consumes one armed close) */
    public synchronized boolean consumeClose(Endpoint endpoint) {
        PerEndpoint p = endpoints.get(endpoint);
        if (p == null || p.closeCount == 0) {
            return false;
        }
        p.closeCount--;
        return true;
    }

    /**
     * @param endpoint the endpoint
     * @return whether this call's answer must be dropped after processing (consumes one)
     */
    public synchronized boolean consumeDropResponse(Endpoint endpoint) {
        PerEndpoint p = endpoints.get(endpoint);
        if (p == null || p.dropCount == 0) {
            return false;
        }
        p.dropCount--;
        return true;
    }

    /** @return the status this call must fail with, if armed (consumes one) */
    public synchronized OptionalInt consumeFailure(Endpoint endpoint) {
        PerEndpoint p = endpoints.get(endpoint);
        if (p == null || p.failCount == 0) {
            return OptionalInt.empty();
        }
        p.failCount--;
        return OptionalInt.of(p.failStatus);
    }

    /** @return the DELETE failure for this call, if armed (consumes one) */
    public synchronized Optional<DeleteFailure> consumeDeleteFailure() {
        if (deleteFailCount == 0) {
            return Optional.empty();
        }
        deleteFailCount--;
        return Optional.of(deleteFailure);
    }

    /** @return how to damage this fetch, if armed (consumes one) */
    public synchronized Optional<FetchDamage> consumeFetchDamage() {
        if (fetchDamageCount == 0) {
            return Optional.empty();
        }
        fetchDamageCount--;
        return Optional.of(fetchDamage);
    }

    /** @return the forced final status of this CSR, if armed (consumes it) */
    public synchronized OptionalInt consumeCsrOutcome() {
        if (nextCsrOutcome == null) {
            return OptionalInt.empty();
        }
        int status = nextCsrOutcome;
        nextCsrOutcome = null;
        return OptionalInt.of(status);
    }

    /** @return a JSON-friendly view of what is armed, for the admin API */
    public synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        endpoints.forEach((endpoint, p) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("failNext", p.failCount);
            e.put("failStatus", p.failStatus);
            e.put("latencyMillis", p.latency.toMillis());
            e.put("closeConnection", p.closeCount);
            e.put("dropResponse", p.dropCount);
            out.put(endpoint.name(), e);
        });
        if (deleteFailCount > 0) {
            out.put("deleteFailure", Map.of("count", deleteFailCount, "status", deleteFailure.status(),
                    "deleteAnyway", deleteFailure.deleteAnyway()));
        }
        if (fetchDamageCount > 0) {
            out.put("fetchDamage", Map.of("count", fetchDamageCount, "mode", fetchDamage.name()));
        }
        if (nextCsrOutcome != null) {
            out.put("nextCsrOutcome", nextCsrOutcome);
        }
        return out;
    }

    private static void requireHttp(Endpoint endpoint) {
        if (endpoint == Endpoint.LDAP_SEARCH) {
            throw new IllegalArgumentException("This fault is not supported for LDAP; use failNext or latency");
        }
    }

    private static void requireCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("Fault count must be zero or positive, not " + count);
        }
    }
}
