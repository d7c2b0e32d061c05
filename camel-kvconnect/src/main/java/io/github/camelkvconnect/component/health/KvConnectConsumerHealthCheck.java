package io.github.camelkvconnect.component.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.component.rest.KvConnectRestException;
import io.github.camelkvconnect.smime.SmimeCredentials;

/**
 * Health of one consumer's account: the server is reachable, the credentials are accepted, and the own certificate
 * is present and does not expire within {@code certificateExpiryWarningDays}.
 */
public final class KvConnectConsumerHealthCheck extends AbstractHealthCheck {

    private final KvConnectEndpoint endpoint;

    public KvConnectConsumerHealthCheck(KvConnectEndpoint endpoint, String routeId) {
        super("camel", "kvconnect-consumer-" + (routeId != null ? routeId : endpoint.getAddress()));
        this.endpoint = endpoint;
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
        try {
            builder.detail("serverVersion", endpoint.healthServerVersion());
        } catch (Exception e) {
            down(builder, "KV-Connect server not reachable", e);
            return;
        }
        try {
            endpoint.healthLogin();
        } catch (Exception e) {
            down(builder, "KV-Connect credentials not accepted", e);
            return;
        }
        SmimeCredentials credentials = endpoint.healthCredentials();
        if (credentials == null) {
            builder.message("No usable own key and certificate (keystore missing, wrong PIN or no key)").down();
            return;
        }
        Instant notAfter = credentials.certificate().getNotAfter().toInstant();
        builder.detail("certificateNotAfter", notAfter.toString());
        int days = endpoint.getConfiguration().getCertificateExpiryWarningDays();
        if (notAfter.isBefore(Instant.now().plus(Duration.ofDays(days)))) {
            builder.message("The own certificate expires on " + notAfter + " (within " + days
                            + " days): request a new one (operation requestCertificate)")
                    .down();
            return;
        }
        builder.up();
    }

    private static void down(HealthCheckResultBuilder builder, String message, Exception e) {
        if (e instanceof KvConnectRestException r && r.getHttpResponseCode() > 0) {
            builder.detail(HealthCheck.HTTP_RESPONSE_CODE, r.getHttpResponseCode());
        }
        builder.message(message + ": " + e.getMessage()).error(e).down();
    }
}
