package io.github.camelkvconnect.component;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.crypto.KeystoreCredentials;
import io.github.camelkvconnect.component.rest.CertificateInfo;
import io.github.camelkvconnect.component.rest.CsrStatus;
import io.github.camelkvconnect.component.rest.KvConnectRestClient;
import io.github.camelkvconnect.component.rest.TrustAnchors;
import io.github.camelkvconnect.smime.SmimeCredentials;
import io.github.camelkvconnect.smime.keys.CertificateExpiry;
import io.github.camelkvconnect.smime.keys.CsrFactory;
import io.github.camelkvconnect.smime.keys.KeyPairFactory;

/**
 * The {@code requestCertificate} operation: generates a key pair ({@link KeyPairFactory}), sends a PKCS#10 request with
 * the subject {@code x500UniqueIdentifier=<username>} ({@link CsrFactory}) as KV-Connect clients do, waits until the
 * server reports the certificate as issued, fetches it and stores key and certificate in the PIN-protected keystore.
 * If the current certificate is valid for longer than {@code renewBeforeDays}, nothing is requested.
 */
final class CertificateRequester {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateRequester.class);

    private final KvConnectEndpoint endpoint;

    CertificateRequester(KvConnectEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    void request(Exchange exchange) throws Exception {
        KvConnectConfiguration c = endpoint.getConfiguration();
        if (c.getKeystoreFile() == null || c.getKeystorePassword() == null) {
            throw new IllegalArgumentException("requestCertificate needs the options keystoreFile and keystorePassword (the PIN): the new key is "
                                               + "stored there");
        }
        KeystoreCredentials keystore = endpoint.credentials();
        // An existing keystore that does not open (wrong PIN, damaged) fails here with a typed error: replacing it by a
        // new key would lose the account's key over a mistyped PIN.
        SmimeCredentials current = keystore.exists() ? keystore.get() : null;
        if (current != null && !CertificateExpiry.expiresWithin(current.certificate(), Duration.ofDays(c.getRenewBeforeDays()),
                endpoint.clock())) {
            exchange.getMessage().setHeader(KvConnectConstants.CERTIFICATE_RENEWED, false);
            exchange.getMessage().setBody(current.certificate());
            return;
        }

        // The new key stays in memory until its certificate is issued: the current key and certificate remain in use
        // (and in the keystore) while the request is pending, and a failed request leaves the keystore untouched.
        KeyPair keyPair = KeyPairFactory.generateRsa(c.getKeySize());
        KvConnectRestClient client = endpoint.restClient();
        String csrId = client.submitCsr(CsrFactory.createPem(c.getUsername(), keyPair));
        exchange.getMessage().setHeader(KvConnectConstants.CSR_ID, csrId);
        LOG.info("Certificate signing request {} submitted for {}", csrId, endpoint.getAddress());

        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(c.getCsrTimeout());
        CsrStatus status = client.csrStatus(csrId);
        while (!status.isCompleted()) {
            if (status.isFailed()) {
                throw new IOException("The certificate signing request " + csrId + " failed: " + status.failureReason());
            }
            waitOrTimeout(deadline, csrId, "to be processed (last status " + status.latest() + ")", c.getCsrPollInterval());
            status = client.csrStatus(csrId);
        }

        X509Certificate issued = awaitIssuedCertificate(client, keyPair, deadline, csrId, c.getCsrPollInterval());
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issued);
        chain.addAll(issuers(issued, TrustAnchors.fromPem(c.getSmimeTrustAnchors())));
        keystore.store(keyPair.getPrivate(), chain);
        endpoint.certificateCache().invalidate(endpoint.getAddress());
        LOG.info("Certificate for {} issued (valid until {}) and stored in keystore {}", endpoint.getAddress(),
                issued.getNotAfter().toInstant(), c.getKeystoreFile());
        exchange.getMessage().setHeader(KvConnectConstants.CERTIFICATE_RENEWED, true);
        exchange.getMessage().setBody(issued);
    }

    /** The server publishes the certificate by address; wait until it is the one for our new key. */
    private X509Certificate awaitIssuedCertificate(KvConnectRestClient client, KeyPair keyPair, long deadline, String csrId,
                                                   long interval)
            throws IOException {
        while (true) {
            Optional<CertificateInfo> info = client.certificateByEmail(endpoint.getAddress());
            if (info.isPresent() && Arrays.equals(info.get().certificate().getPublicKey().getEncoded(),
                    keyPair.getPublic().getEncoded())) {
                return info.get().certificate();
            }
            waitOrTimeout(deadline, csrId, "'s certificate to be published", interval);
        }
    }

    private static void waitOrTimeout(long deadline, String csrId, String what, long interval) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException("Timed out waiting for certificate signing request " + csrId + what
                                  + "; run requestCertificate again later or raise csrTimeout");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(interval));
        if (Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("Interrupted while waiting for CSR " + csrId);
        }
    }

    /** Issuer certificates from the trust anchors, leaf's issuer first. */
    private static List<X509Certificate> issuers(X509Certificate leaf, List<X509Certificate> anchors) {
        List<X509Certificate> result = new ArrayList<>();
        X509Certificate current = leaf;
        for (int i = 0; i < 5; i++) {
            X509Certificate next = null;
            for (X509Certificate a : anchors) {
                if (a.getSubjectX500Principal().equals(current.getIssuerX500Principal()) && !a.equals(current)) {
                    next = a;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            result.add(next);
            if (next.getSubjectX500Principal().equals(next.getIssuerX500Principal())) {
                break;
            }
            current = next;
        }
        return result;
    }
}
