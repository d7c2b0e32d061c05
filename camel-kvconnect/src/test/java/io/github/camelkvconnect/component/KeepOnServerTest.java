package io.github.camelkvconnect.component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.state.FailureLedger;
import io.github.camelkvconnect.component.state.StateFiles;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Only a successfully completed exchange deletes the message on the server. */
class KeepOnServerTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void failedExchangeKeepsTheMessageAndALaterPollDeliversItAgain() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "hello");
        AtomicInteger attempts = new AtomicInteger();
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "failureBackoff=100")).routeId("bob")
                        .process(e -> {
                            if (attempts.incrementAndGet() == 1) {
                                // while the first attempt fails, the message must still be on the server
                                throw new IllegalStateException("downstream system unavailable");
                            }
                        })
                        .to("mock:done");
            }
        });
        done.assertIsSatisfied(20_000);
        assertEquals(2, attempts.get());
        assertEquals(id, done.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        awaitMailboxSize(bob, 0);
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
        assertEquals(1, endpoint.getKeptOnServerCount());
        assertEquals(1, endpoint.getReceivedCount());
    }

    @Test
    void failureHandledByADeadLetterChannelKeepsTheMessage() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "hello");
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:dead"));
                from(consumerUri(bob, "failureBackoff=600000")).routeId("bob")
                        .throwException(new IllegalStateException("cannot store"));
            }
        });
        dead.assertIsSatisfied(20_000);
        // Several more polls happen; the message stays listed and is not re-delivered before its backoff.
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
        awaitPolls(endpoint, 5);
        assertEquals(1, mailbox(bob).size(), "handled failure must not delete");
        assertEquals(1, dead.getReceivedCounter());
        assertEquals(1, endpoint.getKeptOnServerCount());
    }

    @Test
    void onExceptionHandledKeepsTheMessageUnlessDeleteHandledFailures() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        send(alice, bob, "to bob");
        send(alice, carol, "to carol");
        MockEndpoint handled = getMockEndpoint("mock:handled");
        handled.expectedMessageCount(2);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).handled(true).to("mock:handled");
                from(consumerUri(bob, "failureBackoff=600000")).routeId("bob")
                        .throwException(new IllegalStateException("nope"));
                from(consumerUri(carol, "deleteHandledFailures=true")).routeId("carol")
                        .throwException(new IllegalStateException("nope"));
            }
        });
        handled.assertIsSatisfied(20_000);
        awaitMailboxSize(carol, 0);
        awaitPolls((KvConnectEndpoint) context.getRoute("bob").getEndpoint(), 3);
        assertEquals(1, mailbox(bob).size());
    }

    @Test
    void messageWhoseDeliveryCannotBeRecordedStaysOnTheServer() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = send(alice, bob, "hello");
        // a disk that refuses the first record (full, read-only): real files cannot be made to fail on cue
        AtomicInteger failuresLeft = new AtomicInteger(1);
        context.getRegistry().bind("flakyRecords", new MemoryIdempotentRepository() {
            @Override
            public boolean add(String key) {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                }
                return super.add(key);
            }
        });
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(2);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "idempotentRepository=#flakyRecords")).routeId("bob").to("mock:done");
            }
        });
        // delivered, not recorded, hence not deleted; delivered again on a later poll, recorded and deleted
        done.assertIsSatisfied(20_000);
        assertEquals(id, done.getReceivedExchanges().get(1).getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        awaitMailboxSize(bob, 0);
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
        assertEquals(1, endpoint.getKeptOnServerCount());
    }

    @Test
    void messagesTheRouteKeepsFailingDoNotStarveTheOnesBehindThem() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        // oldest first: two messages the route rejects, then a good one, read one per poll
        String poison1 = send(alice, bob, "poison 1");
        String poison2 = send(alice, bob, "poison 2");
        String good = send(alice, bob, "good");
        AtomicInteger rejected = new AtomicInteger();
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "maxMessagesPerPoll=1&failureBackoff=600000&quarantineAfterAttempts=1"))
                        .routeId("bob")
                        .process(e -> {
                            if (e.getMessage().getBody(String.class).contains("poison")) {
                                rejected.incrementAndGet();
                                throw new IllegalStateException("downstream system rejects this message");
                            }
                        })
                        .to("mock:done");
            }
        });
        // without backoff for route failures the first message came first again on every poll, and nothing behind it
        done.assertIsSatisfied(20_000);
        assertEquals(good, done.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        awaitPolls((KvConnectEndpoint) context.getRoute("bob").getEndpoint(), 3);
        assertEquals(2, rejected.get(), "each rejected message is tried once per failureBackoff");
        // kept, and not quarantined by a route failure (quarantineAfterAttempts=1 would have done it at once)
        assertEquals(java.util.Set.of(poison1, poison2), mailbox(bob).stream().map(m -> m.messageId())
                .collect(java.util.stream.Collectors.toSet()));
        KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("bob").getEndpoint();
        FailureLedger ledger = new FailureLedger(state(bob.username()).resolve(StateFiles.accountFileName(bob.address(),
                ".failures")), Duration.ofMinutes(1), Duration.ofMinutes(1), Clock.systemUTC());
        assertEquals(List.of(), ledger.quarantined(endpoint.credentials().fingerprint()));
        assertEquals("ROUTE_FAILURE", ledger.reason(poison1));
    }

    /** Waits until the consumer has polled a few more times (each poll lists the mailbox). */
    private void awaitPolls(KvConnectEndpoint endpoint, int polls) {
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoutes().stream()
                .filter(r -> r.getEndpoint() == endpoint).findFirst().orElseThrow().getConsumer();
        long start = consumer.getCounter();
        Await.until(polls + " more polls", Duration.ofSeconds(20), () -> consumer.getCounter() >= start + polls);
    }
}
