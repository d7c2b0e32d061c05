package io.github.camelkvconnect.component;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.rest.ClockSkew;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue F14, host clock +-24 h: the skew against the server is detected, logged once per episode and reported by
 * the health check; validity checks keep using the local clock, and a message signed with a certificate valid over the
 * whole skew window still verifies as VALID (no mass false rejects).
 */
class ClockSkewEmulatorTest extends KvConnectTestSupport {

    /**
     * The emulator issues its CAs and user certificates 48 h in the past, so that they are valid at the true time and
     * at the true time +-24 h. Its HTTP Date header is the real time (the JDK's server sets it).
     */
    static final MutableClock EMULATOR_CLOCK = new MutableClock();

    static {
        EMULATOR_CLOCK.advance(Duration.ofHours(-48));
    }

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass(b -> b.clock(EMULATOR_CLOCK));

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry.get(context).setEnabled(true);
        return context;
    }

    @Test
    void localClockOneDayAheadIsDetectedAndValidSignaturesStillVerify() throws Exception {
        skewIsDetectedReportedAndValidSignaturesStillVerify(Duration.ofHours(24));
    }

    @Test
    void localClockOneDayBehindIsDetectedAndValidSignaturesStillVerify() throws Exception {
        skewIsDetectedReportedAndValidSignaturesStillVerify(Duration.ofHours(-24));
    }

    private void skewIsDetectedReportedAndValidSignaturesStillVerify(Duration offset) throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "Befund 1");

        MutableClock local = new MutableClock();
        local.advance(offset);
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getComponent("kvconnect").createEndpoint(
                consumerUri(bob, ""));
        endpoint.clock(local);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);

        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple, the tests' logging backend, writes to whatever System.err is at the time of each log call
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint).routeId("bob").to("mock:inbox");
                }
            });
            inbox.assertIsSatisfied(20_000);
            ClockSkew skew = endpoint.healthClockSkew();
            assertTrue(skew.exceeded(), "skew detected");
            Duration measured = skew.skew().orElseThrow();
            assertTrue(measured.minus(offset).abs().compareTo(Duration.ofMinutes(1)) < 0, measured::toString);

            // today's promise: validity is judged by the local clock, and a certificate valid over the whole window
            // verifies as before
            assertEquals("VALID", inbox.getReceivedExchanges().get(0).getMessage()
                    .getHeader(KvConnectConstants.SIGNATURE_STATUS), "signature of a valid certificate");

            HealthCheck.Result health = check("bob");
            assertEquals(HealthCheck.State.UP, health.getState(), () -> health.getMessage().orElse(""));
            assertEquals(true, health.getDetails().get("clockSkewExceeded"), health.getDetails()::toString);
            assertTrue(Duration.parse((String) health.getDetails().get("clockSkew")).minus(offset).abs()
                    .compareTo(Duration.ofMinutes(1)) < 0, health.getDetails()::toString);

            // more polls in the same episode: no further warning
            awaitFurtherMeasurements(skew, 3);

            // the clock is fixed: one INFO, and the health check reports it
            local.advance(offset.negated());
            Await.until("the skew is gone", Duration.ofSeconds(20), () -> !skew.exceeded());
            awaitFurtherMeasurements(skew, 2);
            assertEquals(false, check("bob").getDetails().get("clockSkewExceeded"));
            context.getRouteController().stopRoute("bob");
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        originalErr.print(log);
        assertEquals(1, log.lines().filter(l -> l.contains("WARN") && l.contains("ClockSkew")).count(), log);
        assertEquals(1, log.lines().filter(l -> l.contains("INFO") && l.contains("ClockSkew")
                                                 && l.contains("again")).count(), log);
        assertTrue(log.contains(offset.isNegative() ? "behind the KV-Connect server" : "ahead of the KV-Connect server"),
                log);
    }

    private HealthCheck.Result check(String routeId) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        return results.stream().filter(r -> r.getCheck().getId().equals("kvconnect-consumer-" + routeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no kvconnect health check"));
    }

    /** Waits until the consumer's polls measured the skew {@code count} more times (each poll asks the server). */
    private static void awaitFurtherMeasurements(ClockSkew skew, int count) {
        for (int i = 0; i < count; i++) {
            Instant last = skew.measuredAt().orElseThrow();
            Await.until("another measurement", Duration.ofSeconds(20),
                    () -> skew.measuredAt().orElseThrow().isAfter(last));
        }
    }
}
