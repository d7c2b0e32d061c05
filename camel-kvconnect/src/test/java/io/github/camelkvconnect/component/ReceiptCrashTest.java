package io.github.camelkvconnect.component;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.state.PendingReceipts;
import io.github.camelkvconnect.component.state.StateFiles;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receiving application dies (Runtime.halt, as under kill -9: no shutdown hooks, no finally blocks) at each of the
 * two points where a receipt could be lost or doubled, and is started again. The sender gets exactly one
 * Eingangsbestaetigung (receipt) for every message, and every original is deleted.
 * <p>
 * The receiving Camel context runs in a child JVM ({@link Receiver}); the emulator runs here.
 */
class ReceiptCrashTest extends KvConnectTestSupport {

    private static final int MESSAGES = 3;
    private static final int HALTED = 137;

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    /**
     * Run 1 is killed after the first message's receipt and delivered record are on the disk, before the receipt's
     * POST. Run 2 sends that receipt at its first poll, then is killed after the server accepted the second message's
     * receipt, before its record was removed. Run 3 sends that receipt again under the same Message-ID (the server's
     * duplicate answer counts as sent), delivers the third message and ends.
     */
    @Test
    void killedBeforeAndAfterTheReceiptPostEachMessageGetsExactlyOneReceipt() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Set<String> expectedReceiptIds = new TreeSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            String originalId = sendLieferung(alice, bob, "Lieferung " + i);
            expectedReceiptIds.add(PendingReceipts.receiptMessageId(bob.address(), originalId));
        }
        Path uriFile = Files.writeString(testDir.resolve("receiver.uri"), consumerUri(bob, "sendMdn=true"));

        assertEquals(HALTED, runReceiver(uriFile, TestCrashPoint.RECEIPT_RECORDED, testDir.resolve("receiver-1.log")));
        assertEquals(1, recordedReceipts(bob), "the first message's receipt is recorded when the process dies");
        assertEquals(0, mailbox(alice).size(), "and not sent");
        assertEquals(MESSAGES, mailbox(bob).size(), "no original deleted so far");

        assertEquals(HALTED, runReceiver(uriFile, TestCrashPoint.RECEIPT_SENT, testDir.resolve("receiver-2.log")));
        assertEquals(2, mailbox(alice).size(), "the first receipt sent after the restart, the second before the kill");
        assertEquals(1, recordedReceipts(bob), "the second receipt is still recorded");
        assertEquals(MESSAGES - 1, mailbox(bob).size(), "the first original deleted");

        assertEquals(0, runReceiver(uriFile, null, testDir.resolve("receiver-3.log")), "the restarted receiver ends");
        assertTrue(mailbox(bob).isEmpty(), "every original deleted");
        Set<String> receiptIds = new TreeSet<>();
        List<MailboxEntry> receipts = mailbox(alice);
        for (MailboxEntry receipt : receipts) {
            receiptIds.add(header(receipt, "Message-ID"));
            assertEquals("1ClickAbrechnung;Eingangsbestaetigung;V2.0", header(receipt, "X-KVC-Dienstkennung"));
        }
        assertEquals(MESSAGES, receipts.size(), () -> "exactly one receipt per message: " + receipts);
        assertEquals(expectedReceiptIds, receiptIds);
        assertEquals(0, recordedReceipts(bob), "no receipt left pending");
    }

    private int recordedReceipts(EmulatorFixture.Account account) throws Exception {
        Path file = state(account.username()).resolve(StateFiles.accountFileName(account.address(), ".receipts"));
        return new PendingReceipts(file, Duration.ZERO, Duration.ZERO, Clock.systemUTC()).size();
    }

    private String sendLieferung(EmulatorFixture.Account from, EmulatorFixture.Account to, String text) {
        var sent = template.request(producerUri(from), e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader(KvConnectConstants.TO, to.address());
            e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, "1ClickAbrechnung;Lieferung;V2.0");
            e.getMessage().setHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, from.address());
        });
        if (sent.getException() != null) {
            throw new AssertionError("sending failed", sent.getException());
        }
        return sent.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
    }

    private static String header(MailboxEntry entry, String name) {
        return entry.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Runs the receiver in a new JVM until it halts or ends; answers its exit code. */
    private static int runReceiver(Path uriFile, String haltAt, Path log) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (haltAt != null) {
            command.add("-Dcamel.kvconnect.test.haltAt=" + haltAt);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Receiver.class.getName(), uriFile.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the receiver did not end within 120 s; its output:\n" + tail(log));
        }
        int exit = p.exitValue();
        if (exit != 0 && exit != HALTED) {
            throw new AssertionError("the receiver failed with exit code " + exit + "; its output:\n" + tail(log));
        }
        return exit;
    }

    private static String tail(Path log) throws Exception {
        String s = Files.readString(log, StandardCharsets.UTF_8);
        return s.length() > 8000 ? s.substring(s.length() - 8000) : s;
    }

    /**
     * The receiving application: a consumer of the account (URI in the file named by the first argument) with
     * receipts on. Ends (exit 0) when the account's mailbox is empty and no receipt is pending, unless the crash point
     * named by the system property camel.kvconnect.test.haltAt halts it before.
     */
    public static final class Receiver {
        public static void main(String[] args) throws Exception {
            String uri = Files.readString(new File(args[0]).toPath(), StandardCharsets.UTF_8).strip();
            try (CamelContext context = new DefaultCamelContext()) {
                context.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(uri).routeId("receiver").to("log:received?level=INFO&showBody=false");
                    }
                });
                context.start();
                KvConnectEndpoint endpoint = (KvConnectEndpoint) context.getRoute("receiver").getEndpoint();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (endpoint.getStatistics().pendingReceipts().count() > 0
                       || !endpoint.restClient().listHeaders(endpoint.accountUid()).isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        System.out.println("Timed out: mailbox not empty or receipts pending ("
                                           + endpoint.getStatistics() + ")");
                        System.exit(2);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                System.out.println("Done: " + endpoint.getStatistics());
            }
            System.exit(0);
        }
    }
}
