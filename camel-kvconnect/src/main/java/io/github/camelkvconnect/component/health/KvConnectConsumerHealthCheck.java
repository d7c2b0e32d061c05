package io.github.camelkvconnect.component.health;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.component.KvConnectKeystoreException;
import io.github.camelkvconnect.component.KvConnectStatistics;
import io.github.camelkvconnect.component.rest.ClockSkew;
import io.github.camelkvconnect.component.rest.KvConnectRestException;
import io.github.camelkvconnect.component.rest.MailHeader;
import io.github.camelkvconnect.smime.SmimeCredentials;
import io.github.camelkvconnect.smime.keys.CertificateExpiry;

/**
 * Health of one consumer's account: the server is reachable, the credentials are accepted, the keystore opens and
 * holds the own key and certificate, and that certificate does not expire within {@code certificateExpiryWarningDays}
 * (already expired included). Details also report the difference between the local clock and the server's
 * ({@code clockSkew}, {@code clockSkewExceeded}, {@code maxClockSkew}; see {@link ClockSkew}) and the
 * Eingangsbestaetigungen (receipts) recorded but not yet sent ({@code pendingReceipts},
 * {@code oldestPendingReceiptAgeSeconds}).
 * <p>
 * Quarantined messages (see the option quarantineAfterAttempts) are listed in the details {@code quarantinedCount} and
 * {@code quarantinedMessageIds} but do not make the check DOWN: the consumer still reads every other message, and the
 * quarantine itself was announced by an ERROR line and a failed exchange.
 */
public final class KvConnectConsumerHealthCheck extends AbstractHealthCheck {

    /** At most this many Message-IDs in the detail; the count is always complete. */
    static final int MAX_LISTED_IDS = 20;

    private final KvConnectEndpoint endpoint;
    private volatile Supplier<List<String>> quarantined = List::of;

    public KvConnectConsumerHealthCheck(KvConnectEndpoint endpoint, String routeId) {
        super("camel", "kvconnect-consumer-" + (routeId != null ? routeId : endpoint.getAddress()));
        this.endpoint = endpoint;
    }

    /** Where the check reads the Message-IDs the consumer has quarantined. */
    public void setQuarantinedMessages(Supplier<List<String>> quarantined) {
        this.quarantined = quarantined;
    }

    @Override
    public boolean isLiveness() {
        // An unreachable server must not make the platform restart the application.
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail(HealthCheck.ENDPOINT_URI, endpoint.getEndpointBaseUri());
        builder.detail("account", endpoint.getAddress());
        receiptDetails(builder);
        quarantineDetails(builder, quarantined.get());
        try {
            builder.detail("serverVersion", endpoint.healthServerVersion());
        } catch (Exception e) {
            down(builder, "KV-Connect server not reachable", e);
            return;
        }
        clockSkew(builder, endpoint.healthClockSkew());
        try {
            endpoint.healthLogin();
        } catch (Exception e) {
            down(builder, "KV-Connect credentials not accepted", e);
            return;
        }
        SmimeCredentials credentials;
        try {
            credentials = endpoint.healthKeystoreCredentials();
        } catch (KvConnectKeystoreException e) {
            // names the keystore file and what to do (request a certificate, fix the PIN), never the PIN
            if (e.getKeystore() != null) {
                builder.detail("keystore", e.getKeystore().toString());
            }
            builder.message("No usable own key and certificate: " + e.getMessage()).down();
            return;
        }
        X509Certificate own = credentials.certificate();
        Instant notAfter = own.getNotAfter().toInstant();
        builder.detail("certificateNotAfter", notAfter.toString());
        int days = endpoint.getConfiguration().getCertificateExpiryWarningDays();
        Clock clock = Clock.systemUTC();
        if (CertificateExpiry.expiresWithin(own, Duration.ZERO, clock)) {
            builder.message("The own certificate expired on " + notAfter + ": messages can neither be signed nor read by "
                            + "senders; request a new one (operation requestCertificate)")
                    .down();
            return;
        }
        if (CertificateExpiry.expiresWithin(own, Duration.ofDays(days), clock)) {
            builder.message("The own certificate expires on " + notAfter + " (within " + days
                            + " days): request a new one (operation requestCertificate)")
                    .down();
            return;
        }
        builder.up();
    }

    /**
     * The difference between the local clock and the server's, measured on the answer just received. Reported, not a
     * reason for DOWN: messages are still received, and an alert on {@code clockSkewExceeded} says what to fix.
     */
    private static void clockSkew(HealthCheckResultBuilder builder, ClockSkew skew) {
        if (skew == null) {
            return;
        }
        skew.skew().ifPresent(d -> {
            builder.detail("clockSkew", d.toString());
            builder.detail("clockSkewExceeded", skew.exceeded());
            builder.detail("maxClockSkew", skew.threshold().toString());
        });
    }

    /**
     * The Eingangsbestaetigungen (receipts) recorded but not sent yet, and how long the oldest one has waited: a
     * growing number or age means the senders are not told that their messages arrived. Informational only.
     */
    private void receiptDetails(HealthCheckResultBuilder builder) {
        KvConnectStatistics.PendingReceiptsGauge pending = endpoint.getStatistics().pendingReceipts();
        builder.detail("pendingReceipts", pending.count());
        if (pending.oldestRecordedAt() != null) {
            builder.detail("oldestPendingReceiptRecordedAt", pending.oldestRecordedAt().toString());
            builder.detail("oldestPendingReceiptAgeSeconds",
                    Math.max(0, Duration.between(pending.oldestRecordedAt(), Clock.systemUTC().instant()).toSeconds()));
        }
    }

    private static void quarantineDetails(HealthCheckResultBuilder builder, List<String> ids) {
        builder.detail("quarantinedCount", ids.size());
        if (ids.isEmpty()) {
            return;
        }
        // Message-IDs come from senders: shown without control characters, so they cannot forge lines in a health report
        StringBuilder shown = new StringBuilder();
        for (String id : ids.subList(0, Math.min(ids.size(), MAX_LISTED_IDS))) {
            shown.append(shown.isEmpty() ? "" : ", ").append(MailHeader.display(id));
        }
        if (ids.size() > MAX_LISTED_IDS) {
            shown.append(", ... (").append(ids.size() - MAX_LISTED_IDS).append(" more)");
        }
        builder.detail("quarantinedMessageIds", shown.toString());
    }

    private static void down(HealthCheckResultBuilder builder, String message, Exception e) {
        if (e instanceof KvConnectRestException r && r.getHttpResponseCode() > 0) {
            builder.detail(HealthCheck.HTTP_RESPONSE_CODE, r.getHttpResponseCode());
        }
        builder.message(message + ": " + e.getMessage()).error(e).down();
    }
}
