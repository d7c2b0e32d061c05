package io.github.camelkvconnect.emulator.pki;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.emulator.CsrProcessing;
import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.AccountRegistry;

/**
 * The CSR resources and their status history (codes of domain reference §3.3). Accepted CSRs go through
 * 100 → 210 → 299 (certificate issued) → 399 (published in the directory) → 999; refused ones end with 902 or 903,
 * a newer CSR of the same account cancels a pending one with 901, a failure while issuing ends with 900.
 * CSR resources live in memory only.
 */
public final class CsrService {

    private static final Logger LOG = LoggerFactory.getLogger(CsrService.class);

    /**
     * One status entry.
     *
     * @param status the code
     * @param date   when it was reached
     */
    public record StatusEntry(int status, Instant date) {
    }

    /** A CSR resource. */
    public static final class Csr {
        private final String id;
        private final String username;
        private final PublicKey key;
        private final List<StatusEntry> entries = new ArrayList<>();
        private final Deque<Integer> pending = new ArrayDeque<>();
        private String reason;

        Csr(String id, String username, PublicKey key) {
            this.id = id;
            this.username = username;
            this.key = key;
        }

        /** @return the CSR id */
        public String id() { return id; }

        /** @return the owner */
        public String username() { return username; }

        /** @return a snapshot of the status entries, oldest first */
        public synchronized List<StatusEntry> entries() { return List.copyOf(entries); }

        /** @return why the CSR failed, or null */
        public synchronized String reason() { return reason; }
    }

    private final Map<String, Csr> csrs = new ConcurrentHashMap<>();
    private final AccountRegistry accounts;
    private final CertificateLifecycle certificates;
    private final FaultState faults;
    private final Clock clock;
    private final CsrProcessing processing;

    /**
     * @param accounts     the accounts
     * @param certificates issuing and publishing
     * @param faults       armed faults (forced CSR outcomes)
     * @param clock        the clock
     * @param processing   how CSRs advance
     */
    public CsrService(AccountRegistry accounts, CertificateLifecycle certificates, FaultState faults, Clock clock,
            CsrProcessing processing) {
        this.accounts = accounts;
        this.certificates = certificates;
        this.faults = faults;
        this.clock = clock;
        this.processing = processing;
    }

    /**
     * Accepts a CSR (status 100) and checks it; refused CSRs get their final status at once.
     *
     * @param account the authenticated account
     * @param pem     the PEM CSR
     * @return the new CSR resource
     * @throws IllegalArgumentException if the text is not a PEM CSR
     */
    public Csr submit(AccountRecord account, String pem) {
        CsrInspector.Result check = CsrInspector.inspect(pem, account.username());
        Csr csr = new Csr(UUID.randomUUID().toString(), account.username(), check.publicKey());
        synchronized (this) {
            for (Csr other : csrs.values()) {
                if (other.username.equalsIgnoreCase(account.username())) {
                    synchronized (other) {
                        if (!other.pending.isEmpty()) {
                            other.pending.clear();
                            other.entries.add(new StatusEntry(901, clock.instant()));
                            other.reason = "cancelled by the newer CSR " + csr.id;
                        }
                    }
                }
            }
            csrs.put(csr.id, csr);
        }
        OptionalInt forced = faults.consumeCsrOutcome();
        synchronized (csr) {
            csr.entries.add(new StatusEntry(100, clock.instant()));
            if (!check.accepted()) {
                LOG.info("CSR {} of {} refused with {}: {}", csr.id, account.username(), check.finalStatus(), check.reason());
                csr.entries.add(new StatusEntry(check.finalStatus(), clock.instant()));
                csr.reason = check.reason();
            } else if (forced.isPresent()) {
                csr.entries.add(new StatusEntry(forced.getAsInt(), clock.instant()));
                csr.reason = "forced by an emulator fault";
            } else {
                csr.pending.addAll(List.of(210, 299, 399, 999));
                if (processing == CsrProcessing.IMMEDIATE) {
                    while (!csr.pending.isEmpty()) {
                        advance(csr);
                    }
                }
            }
        }
        return csr;
    }

    /**
     * Looks a CSR up for a status poll; in {@link CsrProcessing#ONE_STEP_PER_POLL} mode the poll advances it by one
     * step.
     *
     * @param id the CSR id
     * @return the CSR
     */
    public Optional<Csr> poll(String id) {
        Csr csr = csrs.get(id);
        if (csr != null && processing == CsrProcessing.ONE_STEP_PER_POLL) {
            synchronized (csr) {
                if (!csr.pending.isEmpty()) {
                    advance(csr);
                }
            }
        }
        return Optional.ofNullable(csr);
    }

    private void advance(Csr csr) {
        int step = csr.pending.removeFirst();
        try {
            AccountRecord account = accounts.byUsername(csr.username)
                    .orElseThrow(() -> new IllegalStateException("account " + csr.username + " no longer exists"));
            if (step == 299) {
                certificates.issue(account, csr.key);
            } else if (step == 399) {
                certificates.publish(account);
            }
            csr.entries.add(new StatusEntry(step, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("CSR {} failed at step {}: {}", csr.id, step, e.toString());
            csr.pending.clear();
            csr.entries.add(new StatusEntry(900, clock.instant()));
            csr.reason = "the CA could not issue the certificate";
        }
    }
}
