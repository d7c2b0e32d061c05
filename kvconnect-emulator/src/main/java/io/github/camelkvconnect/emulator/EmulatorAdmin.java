package io.github.camelkvconnect.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.pki.CertificateLifecycle;
import io.github.camelkvconnect.emulator.pki.EmulatorPki;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.AccountRegistry;
import io.github.camelkvconnect.emulator.store.MailStore;
import io.github.camelkvconnect.emulator.store.MessageHeaders;
import io.github.camelkvconnect.emulator.store.StoredMessage;

/**
 * Administration of a running emulator from Java: the KV's registration step (accounts), mailbox inspection and
 * injection, certificate shortcuts, revocation and CRLs, and faults. The admin HTTP API ({@code /admin/}) offers the
 * same operations. Thread-safe.
 */
public final class EmulatorAdmin {

    private final AccountRegistry accounts;
    private final MailStore mails;
    private final CertificateLifecycle certificates;
    private final EmulatorFaults faults;
    private final EmulatorPki pki;

    EmulatorAdmin(AccountRegistry accounts, MailStore mails, CertificateLifecycle certificates, FaultState faults,
            EmulatorPki pki) {
        this.accounts = accounts;
        this.mails = mails;
        this.certificates = certificates;
        this.faults = new EmulatorFaults(faults);
        this.pki = pki;
    }

    /**
     * Registers an account.
     *
     * @param account the account
     * @return the new account's uid (as in {@code accounts/{uid}})
     * @throws EmulatorException if the username is taken
     */
    public String createAccount(EmulatorAccount account) {
        try {
            return accounts.create(account).uid();
        } catch (IllegalStateException e) {
            throw new EmulatorException(e.getMessage() + "; choose another username", e);
        }
    }

    /** @return the usernames of all accounts, sorted */
    public List<String> usernames() {
        return accounts.all().stream().map(AccountRecord::username).toList();
    }

    /**
     * @param username the username
     * @return the account's uid, as used in {@code accounts/{uid}} paths
     * @throws EmulatorException if there is no such account
     */
    public String uid(String username) {
        return account(username).uid();
    }

    /**
     * @param username the username
     * @return whether the account still has to change its initial password
     */
    public boolean passwordChangeNeeded(String username) {
        return account(username).passwordChangeNeeded();
    }

    /**
     * @param username the mailbox owner
     * @return the messages in the mailbox, oldest first
     */
    public List<MailboxEntry> listMailbox(String username) {
        account(username);
        return mails.list(username).stream().map(m -> new MailboxEntry(m.messageId(), m.headers(), m.size())).toList();
    }

    /**
     * @param username  the mailbox owner
     * @param messageId the Message-ID, with or without angle brackets
     * @return the raw message, if it is in the mailbox
     */
    public Optional<byte[]> readMessage(String username, String messageId) {
        account(username);
        Optional<StoredMessage> message = mails.find(username, messageId);
        if (message.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(message.get().bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts a raw message into a mailbox as if it had been delivered, regardless of its To header. A message without
     * Message-ID gets one.
     *
     * @param username   the mailbox owner
     * @param rawMessage the complete RFC 5322 message (clear headers + body)
     * @return the Message-ID under which it is stored
     * @throws EmulatorException if the headers cannot be parsed or the Message-ID is already in the mailbox
     */
    public String injectMessage(String username, byte[] rawMessage) {
        AccountRecord owner = account(username);
        byte[] raw = rawMessage;
        MessageHeaders headers;
        try {
            headers = MessageHeaders.parse(raw);
            if (headers.messageId() == null) {
                String id = "<" + UUID.randomUUID() + "@" + EmulatorAccount.DOMAIN + ">";
                byte[] prefix = ("Message-ID: " + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
                raw = new byte[prefix.length + rawMessage.length];
                System.arraycopy(prefix, 0, raw, 0, prefix.length);
                System.arraycopy(rawMessage, 0, raw, prefix.length, rawMessage.length);
                headers = MessageHeaders.parse(raw);
            }
        } catch (IllegalArgumentException e) {
            throw new EmulatorException("Cannot inject the message: " + e.getMessage(), e);
        }
        try {
            mails.deliver(raw, headers, List.of(owner.username()));
        } catch (MailStore.DuplicateMessageException e) {
            throw new EmulatorException(e.getMessage(), e);
        }
        return headers.messageId();
    }

    /**
     * @param username the mailbox owner
     * @return how many messages were deleted
     */
    public int deleteAllMessages(String username) {
        account(username);
        return mails.clear(username);
    }

    /**
     * Issues a certificate for the key and publishes it in the directory, replacing any previous one: the same code
     * as a CSR that reaches status 999, without the CSR round trips (and without the password-change check).
     *
     * @param username the account
     * @param key      the subject's public key (RSA)
     * @return the certificate, issued by the User CA
     */
    public X509Certificate issueCertificate(String username, PublicKey key) {
        return certificates.issueAndPublish(account(username), key);
    }

    /**
     * @param username the account
     * @return the account's current certificate
     */
    public Optional<X509Certificate> certificate(String username) {
        return account(username).certificate();
    }

    /**
     * @param username the account
     * @return whether the account had a certificate, which is now deleted and withdrawn from the directory
     */
    public boolean deleteCertificate(String username) {
        return certificates.delete(account(username));
    }

    /**
     * Revokes the account's current certificate: the User CA lists it on a new CRL right away (file
     * {@code pki/user-ca.crl} with a data directory, {@link KvConnectEmulator#userCaCrlUri()} over HTTP). The
     * certificate stays the account's and stays in the directory, as it would until its owner replaces it: clients
     * must notice the revocation through the CRL. Revoking it again changes nothing and returns the first entry.
     *
     * @param username the account
     * @param reason   why (RFC 5280 reason code on the CRL entry)
     * @return the CRL entry
     * @throws EmulatorException if there is no such account or it has no certificate
     */
    public RevokedCertificate revokeCertificate(String username, RevocationReason reason) {
        AccountRecord account = account(username);
        X509Certificate certificate = account.certificate().orElseThrow(() -> new EmulatorException(
                "The account '" + username + "' has no certificate to revoke; issue one first"));
        return certificates.revoke(certificate, reason);
    }

    /**
     * Revokes any certificate the User CA issued, e.g. one an account has since replaced.
     *
     * @param certificate the certificate
     * @param reason      why
     * @return the CRL entry (the first one if it was already revoked)
     * @throws IllegalArgumentException if the emulator's User CA did not issue the certificate
     */
    public RevokedCertificate revokeCertificate(X509Certificate certificate, RevocationReason reason) {
        return certificates.revoke(certificate, reason);
    }

    /** @return the certificates the User CA revoked, in the order of revocation */
    public List<RevokedCertificate> revokedCertificates() {
        return pki.userCaRevocations().entries();
    }

    /**
     * @param certificate a certificate of the User CA
     * @return its CRL entry, if it is revoked
     */
    public Optional<RevokedCertificate> revocation(X509Certificate certificate) {
        return pki.issuedByUserCa(certificate) ? pki.userCaRevocations().entry(certificate.getSerialNumber())
                : Optional.empty();
    }

    /** @return the User CA's current CRL (a new one is issued first once half of its validity has passed) */
    public X509CRL userCaCrl() {
        return pki.userCaRevocations().current();
    }

    /** @return the Root CA's current CRL (it lists revoked CA certificates: none) */
    public X509CRL rootCaCrl() {
        return pki.rootCaRevocations().current();
    }

    /**
     * Issues new CRLs of the Root CA and the User CA now (next CRL number, thisUpdate = now) and writes them, as a CA
     * does on its publication schedule.
     *
     * @return the User CA's new CRL
     */
    public X509CRL issueCrls() {
        pki.rootCaRevocations().issue();
        return pki.userCaRevocations().issue();
    }

    /** @return the fault switches */
    public EmulatorFaults faults() {
        return faults;
    }

    /** Disarms every fault. */
    public void resetFaults() {
        faults.reset();
    }

    private AccountRecord account(String username) {
        return accounts.byUsername(username)
                .orElseThrow(() -> new EmulatorException("No account '" + username + "'; create it first"));
    }
}
