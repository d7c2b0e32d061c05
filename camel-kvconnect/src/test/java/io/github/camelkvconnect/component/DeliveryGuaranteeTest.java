package io.github.camelkvconnect.component;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.Endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failed deletes, crashes and server errors never lose a message and never deliver one twice. */
class DeliveryGuaranteeTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void failedDeleteIsRetriedWithoutSecondDelivery() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "once");
        kvc.admin().faults().failDelete(2, 500, false);
        MockEndpoint inbox = receive(bob, "", 1);
        KvConnectEndpoint endpoint = consumerEndpoint(bob);
        Await.until("two failed deletes", Duration.ofSeconds(20), () -> endpoint.getDeleteFailureCount() == 2);
        awaitMailboxSize(bob, 0);
        inbox.assertIsSatisfied();
        assertEquals(1, inbox.getReceivedCounter(), "never delivered twice");
    }

    /**
     * The delivered record is keyed by account, Message-ID and the SHA-256 of the message as stored on the server; the
     * hash is computed while downloading and must be exactly the stored content's (records of earlier versions, which
     * re-read the file, stay valid).
     */
    @Test
    void deliveredRecordCarriesTheSha256OfTheMessageAsStoredOnTheServer() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "hashed on the way");
        byte[] stored = kvc.admin().readMessage(bob.username(), id).orElseThrow();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored));
        MemoryIdempotentRepository delivered = new MemoryIdempotentRepository();
        context.getRegistry().bind("delivered", delivered);
        receive(bob, "idempotentRepository=#delivered", 1);
        awaitMailboxSize(bob, 0);
        assertEquals(Set.of(bob.address().toLowerCase(Locale.ROOT) + "|" + id + "|" + sha256), delivered.getCache().keySet());
    }

    @Test
    void deleteThatFailedAfterDeletingIsHarmless() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "once");
        kvc.admin().faults().failDelete(1, 500, true);
        MockEndpoint inbox = receive(bob, "deleteFailureHandling=log", 1);
        awaitMailboxSize(bob, 0);
        KvConnectEndpoint endpoint = consumerEndpoint(bob);
        Await.until("delete failure counted", Duration.ofSeconds(10), () -> endpoint.getDeleteFailureCount() == 1);
        assertEquals(1, inbox.getReceivedCounter());
    }

    @Test
    void stopBetweenHandOverAndDeleteDeliversOnceAfterRestart() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "exactly once");
        // The delete after the first delivery is lost, as if the process died right after the route finished.
        kvc.admin().faults().failDelete(1, 503, false);
        String uri = consumerUri(bob, "");

        CamelContext first = new DefaultCamelContext();
        CountDownLatch inRoute = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        first.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:first").process(e -> {
                    inRoute.countDown();
                    release.await(20, TimeUnit.SECONDS);
                });
            }
        });
        first.start();
        MockEndpoint firstMock = first.getEndpoint("mock:first", MockEndpoint.class);
        assertTrue(inRoute.await(20, TimeUnit.SECONDS), "message handed over");
        // Stop the context while the exchange is in flight; graceful shutdown lets it finish, the delete fails.
        Thread stopper = new Thread(first::stop);
        stopper.start();
        release.countDown();
        stopper.join(30_000);
        assertEquals(1, firstMock.getReceivedCounter());
        assertEquals(1, mailbox(bob).size(), "still on the server after the lost delete");

        CamelContext second = new DefaultCamelContext();
        second.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).to("mock:second");
            }
        });
        second.start();
        MockEndpoint secondMock = second.getEndpoint("mock:second", MockEndpoint.class);
        try {
            awaitMailboxSize(bob, 0);
            assertEquals(0, secondMock.getReceivedCounter(),
                    "delivered once across the restart");
        } finally {
            second.stop();
        }
    }

    @Test
    void serverErrorsAndLatencyDelayButNeverLoseMessages() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "one");
        send(alice, bob, "two");
        kvc.admin().faults().failNext(Endpoint.HEADERS, 3, 503);
        kvc.admin().faults().failNext(Endpoint.MAIL_GET, 1, 500);
        kvc.admin().faults().latency(Endpoint.MAIL_GET, Duration.ofMillis(300));
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceivedInAnyOrder("one", "two");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the message whose fetch fails waits failureBackoff in the ledger while the other one is read
                from(consumerUri(bob, "readTimeout=5000&backoffErrorThreshold=1&backoffMultiplier=2&failureBackoff=200"))
                        .routeId("bob")
                        .setBody(header(io.github.camelkvconnect.component.mime.InboundMapper.TEXT_HEADER))
                        .to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(30_000);
        awaitMailboxSize(bob, 0);
        kvc.admin().resetFaults();
    }

    @Test
    void tokenAuthenticationKeepsWorking() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "with token");
        receive(bob, "authMethod=token", 1);
        awaitMailboxSize(bob, 0);
    }
}
