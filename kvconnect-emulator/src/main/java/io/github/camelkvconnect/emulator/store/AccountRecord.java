package io.github.camelkvconnect.emulator.store;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

import io.github.camelkvconnect.emulator.EmulatorAccount;

/**
 * The server-side state of one account: master data, password hash, password status and current certificate.
 * Mutable state is guarded by the record's monitor.
 */
public final class AccountRecord {

    private final String uid;
    private final EmulatorAccount masterData;
    private String passwordHash;
    private boolean passwordChangeNeeded;
    private Instant passwordLastChange;
    private X509Certificate certificate;

    AccountRecord(String uid, EmulatorAccount masterData, String passwordHash, boolean passwordChangeNeeded,
            Instant passwordLastChange, X509Certificate certificate) {
        this.uid = uid;
        // Keep no clear password in memory beyond account creation.
        this.masterData = masterData.toBuilder().password("-").build();
        this.passwordHash = passwordHash;
        this.passwordChangeNeeded = passwordChangeNeeded;
        this.passwordLastChange = passwordLastChange;
        this.certificate = certificate;
    }

    /** @return the account uid, {@code <uuid>@<kv>}, as in {@code accounts/{uid}} and the certificate's UID */
    public String uid() { return uid; }

    /** @return the username */
    public String username() { return masterData.username(); }

    /** @return the KV-Connect address */
    public String address() { return masterData.address(); }

    /** @return the master data (the password field is a placeholder) */
    public EmulatorAccount masterData() { return masterData; }

    synchronized String passwordHash() { return passwordHash; }

    /** @return whether a password change is required */
    public synchronized boolean passwordChangeNeeded() { return passwordChangeNeeded; }

    /** @return when the password was last changed (account creation counts) */
    public synchronized Instant passwordLastChange() { return passwordLastChange; }

    /** @return the current certificate */
    public synchronized Optional<X509Certificate> certificate() { return Optional.ofNullable(certificate); }

    synchronized void password(String newHash, Instant when) {
        this.passwordHash = newHash;
        this.passwordChangeNeeded = false;
        this.passwordLastChange = when;
    }

    synchronized void certificate(X509Certificate newCertificate) {
        this.certificate = newCertificate;
    }

    @Override
    public String toString() {
        return "Account[" + address() + ", uid " + uid + "]";
    }
}
