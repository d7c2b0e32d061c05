package io.github.camelkvconnect.emulator;

import java.time.Duration;

import io.github.camelkvconnect.emulator.faults.FaultState;

/**
 * Arms faults on the running emulator, per endpoint. Faults are counted exactly and consumed by the calls they hit;
 * {@link #reset()} disarms everything. Thread-safe. The admin HTTP API offers the same operations.
 */
public final class EmulatorFaults {

    private final FaultState state;

    EmulatorFaults(FaultState state) {
        this.state = state;
    }

    /**
     * The next {@code count} calls of {@code endpoint} answer {@code status} (400-599) with an error body and do
     * nothing else.
     *
     * @param endpoint the endpoint
     * @param count    how many calls fail
     * @param status   the HTTP status, e.g. 503
     * @return this
     */
    public EmulatorFaults failNext(Endpoint endpoint, int count, int status) {
        state.failNext(endpoint, count, status);
        return this;
    }

    /**
     * Every call of {@code endpoint} waits {@code latency} before it is processed.
     *
     * @param endpoint the endpoint
     * @param latency  the delay; {@link Duration#ZERO} switches it off
     * @return this
     */
    public EmulatorFaults latency(Endpoint endpoint, Duration latency) {
        state.latency(endpoint, latency);
        return this;
    }

    /**
     * The next {@code count} calls of {@code endpoint} get their connection closed without any HTTP answer (the
     * request is not processed).
     *
     * @param endpoint the endpoint
     * @param count    how many calls
     * @return this
     */
    public EmulatorFaults closeConnection(Endpoint endpoint, int count) {
        state.closeConnection(endpoint, count);
        return this;
    }

    /**
     * The next {@code count} calls of {@code endpoint} are processed completely (a mail is delivered, a message
     * deleted, ...), but the connection is then closed instead of answering: the "request written, outcome unknown"
     * case. A client that sends the same message again gets 409, because its Message-ID is already delivered.
     *
     * @param endpoint the endpoint
     * @param count    how many calls
     * @return this
     */
    public EmulatorFaults dropResponse(Endpoint endpoint, int count) {
        state.dropResponse(endpoint, count);
        return this;
    }

    /**
     * The next {@code count} {@code DELETE accounts/{uid}/mails/{messageId}} calls answer {@code status}.
     *
     * @param count        how many calls
     * @param status       the HTTP status, e.g. 500
     * @param deleteAnyway true: the message is deleted although the client sees an error (the "lost answer" case);
     *                     false: the message stays
     * @return this
     */
    public EmulatorFaults failDelete(int count, int status, boolean deleteAnyway) {
        state.failDelete(count, status, deleteAnyway);
        return this;
    }

    /**
     * The next {@code count} {@code GET accounts/{uid}/mails/{messageId}} calls serve the stored message with bytes
     * in its middle flipped (same length, status 200).
     *
     * @param count how many fetches
     * @return this
     */
    public EmulatorFaults corruptNextFetch(int count) {
        state.damageFetch(count, FaultState.FetchDamage.CORRUPT);
        return this;
    }

    /**
     * The next {@code count} {@code GET accounts/{uid}/mails/{messageId}} calls serve only the first half of the
     * stored message, as a complete response (status 200, matching Content-Length).
     *
     * @param count how many fetches
     * @return this
     */
    public EmulatorFaults truncateNextFetch(int count) {
        state.damageFetch(count, FaultState.FetchDamage.TRUNCATE);
        return this;
    }

    /**
     * The next CSR ends with the given final status instead of a certificate: 900 (general error, e.g. CA
     * unreachable), 901 (cancelled by a newer CSR), 902 (rejected) or 903 (wrong subject).
     *
     * @param status 900-903
     * @return this
     */
    public EmulatorFaults nextCsrOutcome(int status) {
        state.nextCsrOutcome(status);
        return this;
    }

    /** Disarms every fault. */
    public void reset() {
        state.reset();
    }
}
