package io.github.camelkvconnect.component.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.ReadContent;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, point 1: a file route into the producer, killed with kill -9 at random points while it sends 200 files,
 * restarted each time, must deliver every file exactly once. A kill can fall between recording the Message-ID and the
 * POST, between the POST and its answer, or between the answer and moving the file away; the restarted route sends
 * the same file again under the same Message-ID, and the server (or the send ledger) makes it one message.
 * <p>
 * The seed of the kill points is printed; rerun one with {@code -Dkvconnect.crash.seed=<seed>}.
 */
class SendCrashTest extends KvConnectTestSupport {

    static final int FILES = 200;
    static final int KILLS = 5;
    /** Messages decrypted to compare with their files (all 200 are checked by their clear subject). */
    static final int SAMPLE = 10;

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void twoHundredFilesThroughRepeatedKillsArriveExactlyOnce() throws Exception {
        EmulatorFixture.Account sender = kvc.account("praxis.crash");
        EmulatorFixture.Account recipient = kvc.account("kv.crash");
        Path outbox = Files.createDirectories(testDir.resolve("outbox"));
        Map<String, String> contents = new HashMap<>();
        for (int i = 0; i < FILES; i++) {
            String name = String.format("abrechnung-%03d.dat", i);
            contents.put(name, "Abrechnung " + i + " / " + Long.toHexString(new Random(i).nextLong()));
            Files.writeString(outbox.resolve(name), contents.get(name));
        }
        long seed = Long.getLong("kvconnect.crash.seed", System.nanoTime());
        System.out.println("SendCrashTest seed: " + seed);
        Random random = new Random(seed);
        TreeSet<Integer> killPoints = new TreeSet<>();
        while (killPoints.size() < KILLS) {
            killPoints.add(1 + random.nextInt(FILES - 10));
        }
        String uri = kvc.uri(sender, testDir.resolve("sender-state"), "");
        Path log = testDir.resolve("child.log");

        for (int point : killPoints) {
            long roundStart = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(log, "send", outbox.toString(), recipient.address(), uri)) {
                await(child, point + " files sent (seed " + seed + ")", () -> sentFiles(outbox) >= point);
                assertTrue(child.isAlive(), () -> "the child JVM died by itself:\n" + child.logTail());
                child.kill();
            }
            System.out.printf("SendCrashTest: killed after %d files, %d ms after its start%n", sentFiles(outbox),
                    (System.nanoTime() - roundStart) / 1_000_000);
        }
        try (ChildJvm child = ChildJvm.start(log, "send", outbox.toString(), recipient.address(), uri)) {
            await(child, "all files sent after " + KILLS + " kills (seed " + seed + ")", () -> sentFiles(outbox) == FILES);
            assertEquals(FILES, sentFiles(outbox), () -> "not all files were sent:\n" + child.logTail());
        }

        List<MailboxEntry> mailbox = mailbox(recipient);
        assertEquals(FILES, mailbox.size(), "exactly one message per file (seed " + seed + ")");
        assertEquals(FILES, mailbox.stream().map(MailboxEntry::messageId).distinct().count());
        assertEquals(contents.keySet(), mailbox.stream().map(m -> m.headers().get("subject")).collect(Collectors.toSet()),
                "one message for every file, none for a file twice (seed " + seed + ")");
        assertSampleCarriesTheFiles(recipient, contents);
    }

    /** Decrypts a sample (the oldest messages: those sent around the first kills) and compares it with the files. */
    private void assertSampleCarriesTheFiles(EmulatorFixture.Account recipient, Map<String, String> contents)
            throws Exception {
        MockEndpoint inbox = getMockEndpoint("mock:received");
        inbox.expectedMinimumMessageCount(SAMPLE);
        inbox.setResultWaitTime(60_000);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(recipient, "maxMessagesPerPoll=" + SAMPLE)).process(ReadContent.intoProperties())
                        .to("mock:received");
            }
        });
        inbox.assertIsSatisfied();
        for (Exchange e : inbox.getReceivedExchanges().subList(0, SAMPLE)) {
            String name = e.getMessage().getHeader(KvConnectConstants.SUBJECT, String.class);
            assertEquals(contents.get(name), ReadContent.attachmentText(e, name), name);
        }
    }

    /** Waits for the condition while the child lives; a timeout shows the child's log. */
    static void await(ChildJvm child, String what, java.util.function.BooleanSupplier condition) {
        try {
            Await.until(what, Duration.ofSeconds(120), () -> condition.getAsBoolean() || !child.isAlive());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nchild log:\n" + child.logTail(), e);
        }
    }

    static long sentFiles(Path outbox) {
        Path done = outbox.resolve(".camel");
        if (!Files.isDirectory(done)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(done)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".dat")).count();
        } catch (IOException e) {
            return 0; // a rename in progress; asked again
        }
    }
}
