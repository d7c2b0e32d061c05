package io.github.camelkvconnect.examples.demo;

import java.nio.file.Files;
import java.security.cert.X509Certificate;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Makes sure a practice has a key and a certificate before its routes start. On first start (no keystore) the
 * component's {@code requestCertificate} operation generates an RSA key, sends a CSR (certificate signing request),
 * follows its status until the CA issued the certificate, and stores key and certificate in the practice's PKCS#12
 * keystore under its PIN. Later starts reuse the keystore (the operation renews only a certificate that is about to
 * expire).
 * <p>
 * One more check: the server must publish the keystore's certificate, since senders encrypt for what the server
 * publishes. If it does not (e.g. the emulator's data directory was deleted and its CA is new), a new certificate is
 * requested.
 */
final class CertificateSetup {

    /** More than any certificate lives: makes requestCertificate request a new one regardless. */
    private static final int FORCE_RENEWAL_DAYS = 36500;

    private final ProducerTemplate template;
    private final Console console;

    CertificateSetup(ProducerTemplate template, Console console) {
        this.template = template;
        this.console = console;
    }

    void ensure(Practice practice) {
        boolean firstStart = !Files.exists(practice.keystore());
        if (firstStart) {
            console.event("[%s] first start: no keystore yet - generating a key and requesting a certificate (CSR flow)",
                    practice.username());
        }
        Exchange result = request(practice, "");
        X509Certificate certificate = result.getMessage().getBody(X509Certificate.class);
        boolean renewed = Boolean.TRUE.equals(result.getMessage().getHeader(KvConnectConstants.CERTIFICATE_RENEWED, Boolean.class));

        X509Certificate published = call(practice, "operation=getCertificate", X509Certificate.class);
        if (!certificate.equals(published)) {
            console.event("[%s] the server does not publish the certificate in %s (was the emulator's data reset?): "
                          + "requesting a new one", practice.username(), practice.keystore());
            result = request(practice, "&renewBeforeDays=" + FORCE_RENEWAL_DAYS);
            certificate = result.getMessage().getBody(X509Certificate.class);
            renewed = true;
        }
        if (renewed) {
            console.event("[%s] certificate issued (CSR %s): %s, valid until %s", practice.username(),
                    result.getMessage().getHeader(KvConnectConstants.CSR_ID, String.class),
                    certificate.getSubjectX500Principal(), certificate.getNotAfter().toInstant());
            console.event("[%s]   key and certificate stored in %s (protected by the practice's PIN)",
                    practice.username(), practice.keystore());
        } else {
            console.event("[%s] using the certificate in %s (valid until %s)", practice.username(), practice.keystore(),
                    certificate.getNotAfter().toInstant());
        }
    }

    private Exchange request(Practice practice, String extraOptions) {
        Exchange result = template.request(uri(practice, "operation=requestCertificate" + extraOptions), e -> {
        });
        if (result.getException() != null) {
            throw new DemoException("Cannot get a certificate for " + practice.address() + ": "
                                    + result.getException().getMessage(), result.getException());
        }
        return result;
    }

    private <T> T call(Practice practice, String options, Class<T> type) {
        try {
            return template.requestBody(uri(practice, options), null, type);
        } catch (org.apache.camel.CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new DemoException("KV-Connect request for " + practice.address() + " failed: " + cause.getMessage(), cause);
        }
    }

    private static String uri(Practice practice, String options) {
        return "kvconnect:" + practice.address() + "?configuration=#" + practice.configurationBean() + "&" + options;
    }
}
