package io.github.camelkvconnect.component;

import java.io.IOException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.Exchange;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.rest.CertificateInfo;
import io.github.camelkvconnect.component.rest.CsrStatus;
import io.github.camelkvconnect.component.rest.KvConnectRestClient;
import io.github.camelkvconnect.component.rest.TrustAnchors;
import io.github.camelkvconnect.smime.SmimeCredentials;

/**
 * The {@code requestCertificate} operation: generates a key pair, sends a PKCS#10 request with the subject
 * {@code x500UniqueIdentifier=<username>} as KV-Connect clients do, waits until the server reports the certificate as
 * issued, fetches it and stores key and certificate in the PIN-protected keystore. If the current certificate is valid
 * for longer than {@code renewBeforeDays}, nothing is requested.
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
        SmimeCredentials current = endpoint.credentials().getIfPresent();
        Instant renewAfter = endpoint.clock().instant().plus(Duration.ofDays(c.getRenewBeforeDays()));
        if (current != null && current.certificate().getNotAfter().toInstant().isAfter(renewAfter)) {
            exchange.getMessage().setHeader(KvConnectConstants.CERTIFICATE_RENEWED, false);
            exchange.getMessage().setBody(current.certificate());
            return;
        }

        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(c.getKeySize());
        KeyPair keyPair = generator.generateKeyPair();
        KvConnectRestClient client = endpoint.restClient();
        String csrId = client.submitCsr(csr(keyPair, c.getUsername()));
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
        endpoint.credentials().store(keyPair.getPrivate(), chain);
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

    static String csr(KeyPair keyPair, String username) throws IOException {
        try {
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.UNIQUE_IDENTIFIER, username);
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate());
            PKCS10CertificationRequest request
                    = new JcaPKCS10CertificationRequestBuilder(subject.build(), keyPair.getPublic()).build(signer);
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(request);
            }
            return out.toString();
        } catch (OperatorCreationException e) {
            throw new IOException("Cannot sign the certificate signing request: " + e.getMessage(), e);
        }
    }
}
