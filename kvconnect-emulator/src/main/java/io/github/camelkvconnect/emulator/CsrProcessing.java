package io.github.camelkvconnect.emulator;

/**
 * How the emulated CA works through a certificate signing request. The real server processes CSRs asynchronously;
 * both modes here are deterministic so tests never wait on time.
 */
public enum CsrProcessing {
    /**
     * Every {@code GET csr/{id}} advances the CSR by one step: 100 (received) → 210 (sent to CA) → 299 (certificate
     * received; issued now) → 399 (published in the directory) → 999 (done). A client therefore sees the
     * intermediate states, as against the real server.
     */
    ONE_STEP_PER_POLL,
    /** {@code POST csr} runs all steps at once; the first status poll already shows 999. */
    IMMEDIATE
}
