package io.github.camelkvconnect.smime.keys;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Renewal decisions: does a certificate expire within a given period? */
public final class CertificateExpiry {

    private CertificateExpiry() {
    }

    /** True if {@code certificate} is already expired or expires before now + {@code window}. */
    public static boolean expiresWithin(X509Certificate certificate, Duration window, Clock clock) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        return !notAfter.isAfter(clock.instant().plus(window));
    }
}
