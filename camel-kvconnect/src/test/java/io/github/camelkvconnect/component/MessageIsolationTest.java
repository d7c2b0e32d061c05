package io.github.camelkvconnect.component;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.CapturedLog;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.ErrorCapturingScheduler;
import io.github.camelkvconnect.component.support.FaultProxy;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Isolation per message: an {@link Error} while one message is processed (here an OutOfMemoryError thrown by the route,
 * a fault no real part produces on demand) never ends the polling; the message stays on the server, is retried with
 * backoff and, after quarantineAfterAttempts attempts, quarantined: no longer fetched (counted at a real HTTPS proxy in
 * front of the emulator), announced exactly once, listed by the health check, kept across a restart and lifted when the
 * keystore changes.
 */
class MessageIsolationTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    static FaultProxy proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = FaultProxy.start(kvc.emulator(), kvc.dir());
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry.get(context).setEnabled(true);
        return context;
    }

    @Test
    void errorInTheRouteIsRetriedThenQuarantinedOnceWhileTheOthersFlow() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String poison = send(alice, bob, "poison");
        send(alice, bob, "good");
        AtomicInteger fetches = new AtomicInteger();
        proxy.addRule(ex -> {
            if (FaultProxy.isFetchOf(ex, poison)) {
                fetches.incrementAndGet();
            }
            return false;
        });
        AtomicBoolean hostile = new AtomicBoolean(true);
        ErrorCapturingScheduler scheduler = new ErrorCapturingScheduler();
        context.getRegistry().bind("capturing", scheduler);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("good");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(3);
        String uri = proxy.via(consumerUri(bob, "scheduler=#capturing&failureBackoff=50&failureBackoffMax=50"
                                                + "&quarantineAfterAttempts=3"),
                kvc.tlsAnchors());
        RouteBuilder routes = new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(uri).routeId("bob").setBody(header(KvConnectConstants.TEXT)).process(x -> {
                    if (hostile.get() && "poison".equals(x.getMessage().getBody(String.class))) {
                        throw new OutOfMemoryError("injected by the test");
                    }
                }).to("mock:inbox");
            }
        };
        try (CapturedLog log = CapturedLog.start()) {
            context.addRoutes(routes);
            MockEndpoint.assertIsSatisfied(20, TimeUnit.SECONDS, inbox, errors);
            KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
            long polls = consumer.getCounter();
            Await.until("ten more polls", Duration.ofSeconds(20), () -> consumer.getCounter() >= polls + 10);

            assertNull(scheduler.awaitEscaped(0), "nothing escapes the poll");
            assertEquals(3, fetches.get(), "fetched three times, then no more");
            assertEquals(3, errors.getReceivedCounter(), "one failed exchange per attempt, none after the quarantine");
            List<Exchange> failed = errors.getReceivedExchanges();
            for (int i = 0; i < 3; i++) {
                Exchange e = failed.get(i);
                assertEquals(poison, e.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
                KvConnectMessageException m = assertInstanceOf(KvConnectMessageException.class,
                        e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
                assertTrue(m.getMessage().contains("OutOfMemoryError"), m.getMessage());
                assertEquals(i == 2 ? Boolean.TRUE : null, e.getMessage().getHeader(KvConnectConstants.QUARANTINED),
                        "only the attempt that quarantines is marked");
            }
            List<String> alerts = log.consumerLines("ERROR", "is QUARANTINED");
            assertEquals(1, alerts.size(), alerts.toString());
            assertTrue(alerts.get(0).contains(poison) && alerts.get(0).contains(alice.address()), alerts.get(0));
            assertFalse(alerts.get(0).contains("poison"), "no content in the alert");
            assertEquals(List.of(poison), mailbox(bob).stream().map(MailboxEntry::messageId).toList(),
                    "the good message is delivered and deleted, the poison message stays");

            HealthCheck.Result health = check("bob");
            assertEquals(1, health.getDetails().get("quarantinedCount"));
            assertEquals(poison, health.getDetails().get("quarantinedMessageIds"));

            // the quarantine is kept in the state directory: a restart does not fetch the message again
            context.getRouteController().stopRoute("bob");
            context.getRouteController().startRoute("bob");
            KvConnectConsumer restarted = (KvConnectConsumer) context.getRoute("bob").getConsumer();
            long pollsBefore = restarted.getCounter();
            Await.until("ten polls after the restart", Duration.ofSeconds(20),
                    () -> restarted.getCounter() >= pollsBefore + 10);
            assertEquals(3, fetches.get(), "not fetched after the restart");
            assertEquals(1, log.consumerLines("ERROR", "is QUARANTINED").size(), "no second alert");

            // another keystore file (same key, a new PKCS#12 file) lifts the quarantine: the message is read again
            hostile.set(false);
            inbox.reset();
            inbox.expectedBodiesReceived("poison");
            TestKeys.keystore(bob.keystore(), bob.keys().getPrivate(),
                    List.of(bob.certificate(), kvc.emulator().userCaCertificate(), kvc.emulator().rootCaCertificate()),
                    EmulatorFixture.PIN);
            inbox.assertIsSatisfied(20_000);
            awaitMailboxSize(bob, 0);
            assertEquals(4, fetches.get());
        } finally {
            proxy.clearRules();
        }
    }

    private HealthCheck.Result check(String routeId) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        return results.stream().filter(r -> r.getCheck().getId().equals("kvconnect-consumer-" + routeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no kvconnect health check among "
                                                      + results.stream().map(r -> r.getCheck().getId()).toList()));
    }
}
