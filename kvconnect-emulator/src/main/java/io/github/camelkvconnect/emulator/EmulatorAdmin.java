package io.github.camelkvconnect.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.pki.CertificateLifecycle;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.AccountRegistry;
import io.github.camelkvconnect.emulator.store.MailStore;
import io.github.camelkvconnect.emulator.store.MessageHeaders;
import io.github.camelkvconnect.emulator.store.StoredMessage;

/**
 * Administration of a running emulator from Java: the KV's registration step (accounts), mailbox inspection and
 * injection, certificate shortcuts and faults. The admin HTTP API ({@code /admin/}) offers the same operations.
 * Thread-safe.
 */
public final class EmulatorAdmin {

    private final AccountRegistry accounts;
    private final MailStore mails;
    private final CertificateLifecycle certificates;
    private final EmulatorFaults faults;

    EmulatorAdmin(AccountRegistry accounts, MailStore mails, CertificateLifecycle certificates, FaultState faults) {
        this.accounts = accounts;
        this.mails = mails;
        this.certificates = certificates;
        this.faults = new EmulatorFaults(faults);
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
