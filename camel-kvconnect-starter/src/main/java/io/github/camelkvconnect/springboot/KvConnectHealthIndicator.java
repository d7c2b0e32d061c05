package io.github.camelkvconnect.springboot;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.camelkvconnect.component.health.KvConnectConsumerHealthCheck;

/**
 * The {@code kvconnect} entry of {@code /actuator/health}: the readiness checks of all running kvconnect consumers
 * (server reachable, credentials accepted, own certificate present and not about to expire), one detail per consumer.
 * <p>
 * Camel's own {@code camelHealth} entry lists these checks too, mixed with every other Camel check; this entry shows
 * only the KV-Connect accounts with their details, so that it can be put into the readiness group
 * ({@code management.endpoint.health.group.readiness.include=readinessState,kvconnect}) without tying readiness to
 * unrelated routes. It is never part of liveness: an unreachable KV-Connect server must not make the platform restart
 * the application.
 */
public class KvConnectHealthIndicator extends AbstractHealthIndicator {

    private final CamelContext camelContext;

    public KvConnectHealthIndicator(CamelContext camelContext) {
        super("KV-Connect health check failed");
        this.camelContext = camelContext;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry == null || !registry.isEnabled()) {
            builder.unknown().withDetail("reason", "Camel health checks are disabled (camel.health.enabled=false)");
            return;
        }
        List<HealthCheck> checks = registry.stream()
                .filter(KvConnectConsumerHealthCheck.class::isInstance)
                .filter(check -> !registry.isExcluded(check))
                .sorted(Comparator.comparing(HealthCheck::getId))
                .toList();
        if (checks.isEmpty()) {
            builder.unknown().withDetail("reason", "no kvconnect consumer is running");
            return;
        }
        boolean anyDown = false;
        boolean allUp = true;
        for (HealthCheck check : checks) {
            HealthCheck.Result result = check.call();
            anyDown |= result.getState() == HealthCheck.State.DOWN;
            allUp &= result.getState() == HealthCheck.State.UP;
            builder.withDetail(check.getId(), describe(result));
        }
        if (anyDown) {
            builder.down();
        } else if (allUp) {
            builder.up();
        } else {
            builder.unknown();
        }
    }

    /** State, message and the check's own details (account, server version, certificate expiry, HTTP status). */
    private static Map<String, Object> describe(HealthCheck.Result result) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", result.getState().name());
        result.getMessage().ifPresent(message -> detail.put("message", message));
        result.getDetails().forEach((key, value) -> {
            // Camel's bookkeeping (invocation counts, timestamps) is left out; the check's own findings stay.
            if (!HealthCheckHelper.isReservedKey(key) && value != null) {
                detail.put(key, value.toString());
            }
        });
        return detail;
    }
}
