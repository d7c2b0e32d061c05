package io.github.camelkvconnect.emulator.rest;

import java.time.Clock;

import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.pki.CertificateLifecycle;
import io.github.camelkvconnect.emulator.pki.CsrService;
import io.github.camelkvconnect.emulator.pki.EmulatorPki;
import io.github.camelkvconnect.emulator.store.AccountRegistry;
import io.github.camelkvconnect.emulator.store.MailStore;
import io.github.camelkvconnect.emulator.store.Spool;

/**
 * The emulator's services as the HTTP handlers see them.
 *
 * @param accounts       accounts
 * @param mails          mailboxes
 * @param certificates   certificate issuing and deletion
 * @param csrs           CSR resources
 * @param tokens         bearer tokens
 * @param faults         armed faults
 * @param clock          the clock
 * @param maxMessageSize the request body limit in bytes
 * @param spool          where large request bodies are spooled
 * @param pki            the CAs, for their CRLs
 */
public record ServerContext(AccountRegistry accounts, MailStore mails, CertificateLifecycle certificates,
        CsrService csrs, TokenService tokens, FaultState faults, Clock clock, long maxMessageSize, Spool spool,
        EmulatorPki pki) {
}
