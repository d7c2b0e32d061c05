package io.github.camelkvconnect.component;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.state.SendLedger;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.FaultProxy;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.Endpoint;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idempotent sending against the emulator: the Message-ID is fixed in the send ledger before the POST, a lost answer
 * fails the exchange with the Message-ID it tried, and a retry (a second send, Camel redelivery) delivers exactly one
 * message.
 */
class IdempotentSendTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private final EmulatorFixture.Account alice = kvc.account("alice.idem");
    private final EmulatorFixture.Account bob = kvc.account("bob.idem");

    @AfterEach
    void clean() {
        kvc.admin().faults().reset();
        kvc.admin().deleteAllMessages(bob.username());
    }

    @Test
    void lostAnswerFailsWithTheMessageIdAndASecondSendOfTheSameFileDeliversOnce() throws Exception {
        File file = Files.writeString(testDir.resolve("befund-" + unique("x") + ".txt"), "Befund 1").toFile();
        kvc.admin().faults().dropResponse(Endpoint.MAIL_SEND, 1);

        Exchange failed = sendFile(file);
        KvConnectSendException e = assertInstanceOf(KvConnectSendException.class, failed.getException());
        String tried = failed.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        assertNotNull(tried, "the failed exchange carries the Message-ID it tried");
        assertEquals(tried, e.getMessageId());
        assertTrue(e.getMessage().contains(tried), e.getMessage());
        assertTrue(e.isTransient());
        assertNotNull(e.getIdempotencyKey());
        assertEquals(List.of(tried), ids(mailbox(bob)), "the server delivered although the answer was lost");

        Exchange retry = sendFile(file);
        assertNull(retry.getException());
        assertEquals(tried, retry.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertEquals(List.of(tried), ids(mailbox(bob)), "exactly one message");
        assertEquals(SendLedger.State.SENT, ledger().find(e.getIdempotencyKey()).orElseThrow().state());
    }

    @Test
    void camelRedeliveryAfterALostAnswerDeliversOnce() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0))
                        .to(producerUri(alice));
            }
        });
        kvc.admin().faults().dropResponse(Endpoint.MAIL_SEND, 1);

        Exchange sent = template.request("direct:send", e -> {
            e.getMessage().setBody("Laborwerte");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, "labor-4711");
        });

        assertNull(sent.getException());
        String id = sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        assertEquals(List.of(id), ids(mailbox(bob)));
    }

    @Test
    void theMessageIdIsRecordedBeforeThePostAndReusedByTheRetry() throws Exception {
        kvc.admin().faults().failNext(Endpoint.MAIL_SEND, 1, 503);

        Exchange failed = sendText("Rechnung", "rechnung-2026-11");
        KvConnectSendException e = assertInstanceOf(KvConnectSendException.class, failed.getException());
        assertEquals(503, e.getHttpResponseCode());
        SendLedger.Entry pending = ledger().find(e.getIdempotencyKey()).orElseThrow();
        assertEquals(SendLedger.State.PENDING, pending.state());
        assertEquals(e.getMessageId(), pending.messageId());
        assertTrue(mailbox(bob).isEmpty());

        Exchange retry = sendText("Rechnung", "rechnung-2026-11");
        assertNull(retry.getException());
        assertEquals(e.getMessageId(), retry.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertEquals(List.of(e.getMessageId()), ids(mailbox(bob)));
    }

    @Test
    void whenThePostArrivesTheLedgerAlreadyHoldsItsMessageId() throws Exception {
        List<SendLedger.Entry> seenByServer = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.start(kvc.emulator(), testDir)) {
            proxy.addRule(ex -> {
                if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().endsWith("/mails")) {
                    return false;
                }
                // the producer waits for this answer: what the ledger holds now was recorded before the POST
                ledger().find("key:brief-7|to:" + bob.address()).ifPresent(seenByServer::add);
                FaultProxy.respond(ex, 503, "unavailable");
                return true;
            });
            Exchange failed = template.request(proxy.via(producerUri(alice), kvc.tlsAnchors()), e -> {
                e.getMessage().setBody("Brief 7");
                e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
                e.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, "brief-7");
            });
            KvConnectSendException e = assertInstanceOf(KvConnectSendException.class, failed.getException());
            assertEquals(1, seenByServer.size(), "the ledger held the key when the POST arrived");
            assertEquals(SendLedger.State.PENDING, seenByServer.get(0).state());
            assertEquals(e.getMessageId(), seenByServer.get(0).messageId());
        }
    }

    @Test
    void aKeyRecordedAsSentIsNotPostedAgain() throws Exception {
        String id = sendText("Quartalsabrechnung", "abrechnung-q3").getMessage()
                .getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        kvc.admin().deleteAllMessages(bob.username()); // fetched by bob; a post would deliver it again
        kvc.admin().faults().failNext(Endpoint.MAIL_SEND, 1, 500);

        Exchange again = sendText("Quartalsabrechnung", "abrechnung-q3");
        assertNull(again.getException());
        assertEquals(id, again.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertTrue(mailbox(bob).isEmpty(), "not delivered again");
        // the armed fault is still there: the second send did not post
        assertInstanceOf(KvConnectSendException.class, sendText("anderes", "abrechnung-q4").getException());
    }

    @Test
    void theServersDuplicateAnswerCountsAsSuccessWithoutASecondCopy() throws Exception {
        String id = sendText("Erstversand", "erst-1").getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        kvc.admin().deleteAllMessages(bob.username());
        // a ledger that was lost (new state directory): the derived Message-ID is the same, the server recognises it
        Exchange again = template.request(kvc.uri(alice, testDir.resolve("other-state"), ""), e -> {
            e.getMessage().setBody("Erstversand");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, "erst-1");
        });
        assertNull(again.getException());
        assertEquals(id, again.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertTrue(mailbox(bob).isEmpty(), "the emulator remembers the Message-ID and delivers no second copy");
    }

    @Test
    void concurrentSendsOfOneKeyFromTwoEndpointsDeliverOneMessage() throws Exception {
        // two endpoints of the account on one state directory (e.g. two routes), racing with the same key
        String first = producerUri(alice);
        String second = first + "&connectTimeout=30001";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> send(first, "Sammelbrief", "sammel-1"));
            var b = pool.submit(() -> send(second, "Sammelbrief", "sammel-1"));
            Exchange ea = a.get();
            Exchange eb = b.get();
            assertNull(ea.getException());
            assertNull(eb.getException());
            String id = ea.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
            assertEquals(id, eb.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
            assertEquals(List.of(id), ids(mailbox(bob)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExplicitMessageIdIsUsedAndAReceivedMessageIdIsNever() throws Exception {
        Exchange explicit = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("mit eigener Message-ID");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.OUTGOING_MESSAGE_ID, "brief-4711@praxis.example");
        });
        assertNull(explicit.getException());
        assertEquals("<brief-4711@praxis.example>", explicit.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));

        Exchange invalid = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.OUTGOING_MESSAGE_ID, "<kein gueltiger wert>");
        });
        assertInstanceOf(KvConnectInvalidHeaderException.class, invalid.getException());

        // a received exchange routed on carries CamelKvConnectMessageId: it is not taken as the new message's id
        Exchange forwarded = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("weitergeleitet");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.MESSAGE_ID, "<received-1@kv-safenet.de>");
        });
        assertNull(forwarded.getException());
        assertNotEquals("<received-1@kv-safenet.de>", forwarded.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertEquals(2, mailbox(bob).size());
    }

    @Test
    void aTextWithoutKeyIsNotRetrySafeAndTheExceptionSaysSo() throws Exception {
        kvc.admin().faults().failNext(Endpoint.MAIL_SEND, 1, 500);
        Exchange failed = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("ohne Schluessel");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        KvConnectSendException e = assertInstanceOf(KvConnectSendException.class, failed.getException());
        assertNull(e.getIdempotencyKey());
        assertEquals(e.getMessageId(), failed.getMessage().getHeader(KvConnectConstants.MESSAGE_ID));
        assertTrue(e.getMessage().contains("Set CamelKvConnectIdempotencyKey"), e.getMessage());
        assertEquals(0, ledger().size(), "nothing to record without a key");
    }

    private Exchange sendFile(File file) {
        return template.request(producerUri(alice), e -> {
            e.getMessage().setBody(file);
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
    }

    private Exchange sendText(String text, String key) {
        return send(producerUri(alice), text, key);
    }

    private Exchange send(String uri, String text, String key) {
        return template.request(uri, e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage().setHeader(KvConnectConstants.IDEMPOTENCY_KEY, key);
        });
    }

    private SendLedger ledger() {
        Path state = testDir.resolve("producer-" + alice.username());
        return SendLedger.forAccount(state, alice.address(), 100, Clock.systemUTC());
    }

    private static List<String> ids(List<MailboxEntry> entries) {
        return entries.stream().map(MailboxEntry::messageId).toList();
    }
}
