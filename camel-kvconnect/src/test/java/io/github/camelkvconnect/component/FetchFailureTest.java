package io.github.camelkvconnect.component;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.rest.KvConnectServerUnreachableException;
import io.github.camelkvconnect.component.state.FailureLedger;
import io.github.camelkvconnect.component.state.StateFiles;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.FaultProxy;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.PollFailures;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message that cannot be downloaded (the server fails for that one message, or the connection breaks during its
 * body) does not end the poll: it stays on the server, waits in the failure ledger and is reported, and the messages
 * behind it (oldest first) are delivered. The faults come from a real HTTPS proxy in front of the emulator, because the
 * emulator arms faults per endpoint, not per message.
 */
class FetchFailureTest extends KvConnectTestSupport {

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

    @AfterEach
    void clearFaults() {
        proxy.clearRules();
    }

    @Test
    void persistentServerErrorForOneMessageDoesNotBlockTheOthers() throws Exception {
        assertOtherMessagesFlowPast(id -> proxy.failFetch(id, 503), "HTTP 503");
    }

    @Test
    void brokenDownloadOfOneMessageDoesNotBlockTheOthers() throws Exception {
        assertOtherMessagesFlowPast(id -> proxy.shortFetch(id), "GET accounts/{uid}/mails/{messageId}");
    }

    /** The body stops after its first bytes: the readTimeout applies to the pauses in the body as well. */
    @Test
    void stalledDownloadIsAbortedAfterTheReadTimeout() throws Exception {
        assertOtherMessagesFlowPast(id -> proxy.stallFetch(id), "no data for 3000 ms", "readTimeout=3000", "x");
    }

    /** A message above maxMessageSize is not downloaded; it stays on the server, the smaller ones are delivered. */
    @Test
    void messageAboveMaxMessageSizeIsRefusedAndKept() throws Exception {
        assertOtherMessagesFlowPast(id -> {
        }, "larger than maxMessageSize (60000 bytes", "maxMessageSize=60000", "x".repeat(100_000));
    }

    /** A server that does not announce the length: the download stops at the limit. */
    @Test
    void unannouncedBodyAboveMaxMessageSizeIsStoppedAtTheLimit() throws Exception {
        assertOtherMessagesFlowPast(id -> proxy.unannouncedLargeFetch(id, 200_000), "stopped after 60000 bytes",
                "maxMessageSize=60000", "first");
    }

    /**
     * The server goes away in the middle of a poll, after the first message: the next fetch finds nobody listening. That
     * is no fault of the next message: the poll ends with the REST client's KvConnectServerUnreachableException, and the
     * messages not yet fetched get no failure record (no backoff), no error handler call, and stay on the server.
     */
    @Test
    void serverGoingAwayMidPollEndsThePollWithoutBlamingTheMessages() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "first");
        String second = send(alice, bob, "second");
        String third = send(alice, bob, "third");

        // a proxy of its own: it is closed for good in the middle of the poll
        FaultProxy vanishing = FaultProxy.start(kvc.emulator(), testDir);
        AtomicBoolean closed = new AtomicBoolean();
        PollFailures pollFailures = new PollFailures();
        context.getRegistry().bind("pollFailures", pollFailures);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("first");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        String uri = vanishing.via(consumerUri(bob, "failureBackoff=600000&deleteFailureHandling=log"
                                                    + "&pollStrategy=#pollFailures"),
                kvc.tlsAnchors());
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    errorHandler(deadLetterChannel("mock:errors"));
                    from(uri).routeId("bob").setBody(header(KvConnectConstants.TEXT)).to("mock:inbox")
                            .process(x -> {
                                if (closed.compareAndSet(false, true)) {
                                    vanishing.close();
                                }
                            });
                }
            });
            inbox.assertIsSatisfied(20_000);
            Await.until("a poll ended with an exception", Duration.ofSeconds(20), () -> !pollFailures.causes().isEmpty());
            context.getRouteController().stopRoute("bob");
        } finally {
            if (closed.compareAndSet(false, true)) {
                vanishing.close();
            }
        }

        assertInstanceOf(KvConnectServerUnreachableException.class, pollFailures.causes().get(0));
        assertEquals(1, inbox.getReceivedCounter(), "the poll ended at the second message");
        assertEquals(0, errors.getReceivedCounter(), "an unreachable server is not reported as a failed message");
        FailureLedger ledger = new FailureLedger(state(bob.username()).resolve(StateFiles.accountFileName(bob.address(),
                ".failures")), Duration.ofMinutes(1), Duration.ofMinutes(1), java.time.Clock.systemUTC());
        assertEquals(0, ledger.size(), "no backoff for messages the server could not be asked for");
        List<String> onServer = mailbox(bob).stream().map(MailboxEntry::messageId).toList();
        assertTrue(onServer.containsAll(List.of(second, third)), onServer.toString());
    }

    private void assertOtherMessagesFlowPast(java.util.function.Consumer<String> fault, String expectedInMessage)
            throws Exception {
        assertOtherMessagesFlowPast(fault, expectedInMessage, "", "first, cannot be fetched");
    }

    private void assertOtherMessagesFlowPast(java.util.function.Consumer<String> fault, String expectedInMessage,
                                             String options, String firstText)
            throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String broken = send(alice, bob, firstText);
        send(alice, bob, "second");
        send(alice, bob, "third");
        fault.accept(broken);

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("second", "third");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        String uri = proxy.via(consumerUri(bob, "failureBackoff=600000" + (options.isEmpty() ? "" : "&" + options)),
                kvc.tlsAnchors());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(uri).routeId("bob").setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        MockEndpoint.assertIsSatisfied(20, java.util.concurrent.TimeUnit.SECONDS, inbox, errors);

        Exchange failed = errors.getReceivedExchanges().get(0);
        KvConnectFetchException e = assertInstanceOf(KvConnectFetchException.class,
                failed.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertEquals(broken, e.getMessageId());
        assertEquals(broken, failed.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
        assertFalse(e.getMessage().contains(EmulatorFixture.PASSWORD), "no credentials in the message");
        Await.until("only the broken message left", Duration.ofSeconds(20),
                () -> mailbox(bob).size() == 1 && mailbox(bob).get(0).messageId().equals(broken));

        // recorded in the ledger with the fetch reason: not fetched again on every poll
        KvConnectConsumer consumer = (KvConnectConsumer) context.getRoute("bob").getConsumer();
        long polls = consumer.getCounter();
        Await.until("three more polls", Duration.ofSeconds(20), () -> consumer.getCounter() >= polls + 3);
        assertEquals(1, errors.getReceivedCounter(), "backoff: not retried on every poll");
        context.getRouteController().stopRoute("bob");
        FailureLedger ledger = new FailureLedger(state(bob.username()).resolve(StateFiles.accountFileName(bob.address(),
                ".failures")), Duration.ofMinutes(1), Duration.ofMinutes(1), java.time.Clock.systemUTC());
        assertEquals("FETCH", ledger.reason(broken));
        assertEquals(1, ledger.attempts(broken));
    }
}
