package io.github.camelkvconnect.component;

import java.nio.file.Path;
import java.util.Collection;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's readiness check: server reachable, credentials valid, own certificate present and not expiring. */
class ConsumerHealthCheckTest extends KvConnectTestSupport {

    @TempDir
    static Path dir;

    static EmulatorFixture kvc;

    @BeforeAll
    static void start() throws Exception {
        kvc = EmulatorFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        kvc.close();
    }

    @Override
    protected EmulatorFixture kvc() {
        return kvc;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry.get(context).setEnabled(true);
        return context;
    }

    private HealthCheck.Result check(String routeId) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        return results.stream().filter(r -> r.getCheck().getId().equals("kvconnect-consumer-" + routeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no kvconnect health check among "
                                                      + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    @Test
    void upWhenReachableAuthenticatedAndCertified() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state("bob"), "delay=60000")).routeId("ok").to("mock:x");
            }
        });
        HealthCheck.Result result = check("ok");
        assertEquals(HealthCheck.State.UP, result.getState(), () -> result.getMessage().orElse(""));
        assertTrue(result.getDetails().containsKey("certificateNotAfter"));
    }

    @Test
    void downWithHttpStatusWhenCredentialsAreRefused() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String uri = kvc.uri(bob, state("bob"), "delay=60000").replace("RAW(" + EmulatorFixture.PASSWORD + ")", "RAW(Wrong00XXyy)");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("badpw").to("mock:x");
            }
        });
        HealthCheck.Result result = check("badpw");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals(401, result.getDetails().get(HealthCheck.HTTP_RESPONSE_CODE));
        assertTrue(result.getMessage().orElse("").contains("credentials"));
        assertTrue(!result.getMessage().orElse("").contains("Wrong00XXyy"));
    }

    @Test
    void downWhenTheOwnCertificateExpiresSoon() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state("bob"), "delay=60000&certificateExpiryWarningDays=36500")).routeId("expiring").to("mock:x");
            }
        });
        HealthCheck.Result result = check("expiring");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElse("").contains("requestCertificate"), result.getMessage().orElse(""));
    }
}
