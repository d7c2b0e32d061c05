package io.github.camelkvconnect.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.state.PendingReceipts;
import io.github.camelkvconnect.component.state.StateFiles;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.Endpoint;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Eingangsbestaetigung (receipt) survives a failed POST: it is recorded before the original is deleted and sent on
 * a later poll, exactly once; meanwhile it is visible as pending (header, JMX, health check).
 */
class DurableReceiptTest extends KvConnectTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String LIEFERUNG = "1ClickAbrechnung;Lieferung;V2.0";
    private static final String RECEIPT_DIENSTKENNUNG = "1ClickAbrechnung;Eingangsbestaetigung;V2.0";

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    /** The receipt state each exchange of the consumer ended with (set by the consumer's on-completion). */
    private final List<String> completedStates = new CopyOnWriteArrayList<>();
    /** The receipt state the route saw. */
    private final List<String> routeStates = new CopyOnWriteArrayList<>();

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry.get(context).setEnabled(true);
        EventNotifierSupport completed = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                Exchange exchange = ((CamelEvent.ExchangeCompletedEvent) event).getExchange();
                // only the consumers' exchanges (the producer's come from a template, outside any route)
                if (exchange.getFromEndpoint() instanceof KvConnectEndpoint && exchange.getFromRouteId() != null) {
                    completedStates.add(exchange.getMessage().getHeader(KvConnectConstants.RECEIPT_STATE, String.class));
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeCompletedEvent;
            }
        };
        context.getManagementStrategy().addEventNotifier(completed);
        ServiceHelper.startService(completed);
        return context;
    }

    private String sendLieferung(EmulatorFixture.Account from, EmulatorFixture.Account to) {
        Exchange sent = template.request(producerUri(from), e -> {
            e.getMessage().setBody("Lieferung");
            e.getMessage().setHeader(KvConnectConstants.TO, to.address());
            e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, LIEFERUNG);
            e.getMessage().setHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, from.address());
        });
        if (sent.getException() != null) {
            throw new AssertionError("sending failed", sent.getException());
        }
        return sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
    }

    private void startConsumer(EmulatorFixture.Account account, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(account, options.isEmpty() ? "sendMdn=true" : "sendMdn=true&" + options)).routeId(account.username())
                        .process(e -> routeStates.add(e.getMessage().getHeader(KvConnectConstants.RECEIPT_STATE, String.class)))
                        .to("mock:inbox");
            }
        });
    }

    private static String header(MailboxEntry entry, String name) {
        return entry.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** The receipt in the sender's mailbox is the one for the original, under the Message-ID derived from it. */
    private void assertOneReceiptFor(EmulatorFixture.Account sender, EmulatorFixture.Account receiver, String originalId) {
        List<MailboxEntry> mailbox = mailbox(sender);
        assertEquals(1, mailbox.size(), () -> "exactly one receipt: " + mailbox);
        assertEquals(PendingReceipts.receiptMessageId(receiver.address(), originalId), header(mailbox.get(0), "Message-ID"));
        assertEquals(RECEIPT_DIENSTKENNUNG, header(mailbox.get(0), "X-KVC-Dienstkennung"));
    }

    private int recordedReceipts(EmulatorFixture.Account account) throws Exception {
        return new PendingReceipts(state(account.username()).resolve(StateFiles.accountFileName(account.address(), ".receipts")),
                Duration.ZERO, Duration.ZERO, java.time.Clock.systemUTC()).size();
    }

    @Test
    void aFailedReceiptPostDeletesTheOriginalAndSendsTheReceiptOnALaterPoll() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String originalId = sendLieferung(alice, bob);
        kvc.admin().faults().failNext(Endpoint.MAIL_SEND, 1, 503);

        startConsumer(bob, "receiptRetryBackoff=200");
        awaitMailboxSize(bob, 0);
        Await.until("the receipt reaches the sender", WAIT, () -> mailbox(alice).size() == 1);
        Await.until("the receipt's record is removed", WAIT,
                () -> consumerEndpoint(bob).getStatistics().pendingReceipts().count() == 0);

        assertEquals(List.of("requested"), routeStates, "the route learns that a receipt will follow");
        assertEquals(List.of("pending"), completedStates, "the first POST failed: the receipt was left pending");
        KvConnectStatistics stats = consumerEndpoint(bob).getStatistics();
        assertEquals(1, stats.receiptSendFailures());
        assertEquals(1, stats.receiptsSent());
        assertEquals(0, recordedReceipts(bob), "no record left in the state directory");
        assertOneReceiptFor(alice, bob, originalId);
    }

    @Test
    void aPendingReceiptIsVisibleOverJmxAndInTheHealthCheckUntilItIsSent() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String originalId = sendLieferung(alice, bob);
        // the server refuses every receipt until the fault is lifted
        kvc.admin().faults().failNext(Endpoint.MAIL_SEND, 1_000_000, 503);

        startConsumer(bob, "receiptRetryBackoff=100&receiptRetryBackoffMax=200");
        awaitMailboxSize(bob, 0);
        assertEquals(1, recordedReceipts(bob), "recorded in the state directory while the original is gone");
        MBeanServer jmx = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=endpoints,*"), null);
        ObjectName endpoint = names.stream().filter(n -> n.toString().contains(bob.username())).findFirst()
                .orElseThrow(() -> new AssertionError("no endpoint MBean in " + names));
        assertEquals(1, jmx.getAttribute(endpoint, "PendingReceiptCount"));
        assertTrue((Long) jmx.getAttribute(endpoint, "OldestPendingReceiptAgeSeconds") >= 0);
        Await.until("a retry failed as well", WAIT, () -> {
            try {
                return (Long) jmx.getAttribute(endpoint, "ReceiptSendFailureCount") >= 2;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HealthCheck.Result health = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("kvconnect-consumer-" + bob.username())).findFirst().orElseThrow();
        assertEquals(1, health.getDetails().get("pendingReceipts"));
        assertTrue(health.getDetails().containsKey("oldestPendingReceiptAgeSeconds"), () -> health.getDetails().toString());
        assertTrue(mailbox(alice).isEmpty());

        kvc.admin().faults().failNext(Endpoint.MAIL_SEND, 0, 503);
        Await.until("the receipt reaches the sender", WAIT, () -> mailbox(alice).size() == 1);
        Await.until("no receipt pending", WAIT, () -> {
            try {
                return Integer.valueOf(0).equals(jmx.getAttribute(endpoint, "PendingReceiptCount"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1L, jmx.getAttribute(endpoint, "ReceiptSentCount"));
        assertEquals(0, recordedReceipts(bob));
        assertOneReceiptFor(alice, bob, originalId);
        HealthCheck.Result after = HealthCheckHelper.invokeReadiness(context).stream()
                .filter(r -> r.getCheck().getId().equals("kvconnect-consumer-" + bob.username())).findFirst().orElseThrow();
        assertEquals(0, after.getDetails().get("pendingReceipts"));
    }

    /**
     * Catalogue F02 for receipts: a receipt that cannot be recorded (I/O error in the state directory) keeps the
     * original on the server; once the disk works again, the message is delivered again, its receipt recorded and sent.
     */
    @Test
    void aReceiptThatCannotBeRecordedKeepsTheOriginalOnTheServer() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        startConsumer(bob, "");
        Path receiptsFile = state(bob.username()).resolve(StateFiles.accountFileName(bob.address(), ".receipts"));
        // a non-empty directory where the file belongs: the rename that makes a record durable fails
        Files.createDirectories(receiptsFile.resolve("blocker"));
        String originalId = sendLieferung(alice, bob);

        Await.until("the route got the message", WAIT, () -> !routeStates.isEmpty());
        Await.until("its exchange completed", WAIT, () -> !completedStates.isEmpty());
        assertEquals(1, mailbox(bob).size(), "the original stays on the server");
        assertTrue(mailbox(alice).isEmpty());

        // one rename clears the way at once (deleting the blocker first would let a record replace the empty directory)
        Files.move(receiptsFile, receiptsFile.resolveSibling("receipts-blocker-removed"));
        awaitMailboxSize(bob, 0);
        Await.until("the receipt reaches the sender", WAIT, () -> mailbox(alice).size() == 1);
        assertOneReceiptFor(alice, bob, originalId);
        assertTrue(routeStates.size() >= 2, "delivered again after the failed record: " + routeStates);
    }

    @Test
    void aMessageWithoutDispositionNotificationToGetsNoReceiptAndSaysSo() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "no receipt wanted");
        startConsumer(bob, "");
        awaitMailboxSize(bob, 0);
        Await.until("the exchange completed", WAIT, () -> completedStates.size() == 1);
        assertEquals(List.of("not-requested"), routeStates);
        assertEquals(List.of("not-requested"), completedStates);
        assertTrue(mailbox(alice).isEmpty());
        assertEquals(0, recordedReceipts(bob));
    }
}
