package io.github.camelkvconnect.component.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalogue L04 (soak): a practice sends files and a second account receives them, both routes in one Camel
 * application in a second JVM, while the test keeps dropping new files into the outbox and kills the application with
 * kill -9 again and again (after a random amount of progress, sending or receiving) and restarts it. At the end every
 * file has arrived exactly once with its content (zero lost, zero duplicated: a second copy under another Message-ID
 * would show as a second received file) and the recipient's mailbox on the server is empty (everything received was
 * deleted; nothing is left pending).
 * <p>
 * Runs {@value #DEFAULT_SECONDS} s of kill rounds in {@code mvn verify}; for a longer soak set
 * {@code -Dkvconnect.soak.seconds=<seconds>} (e.g. 3600), and {@code -Dkvconnect.soak.seed=<seed>} to repeat a run.
 */
class SendReceiveSoakTest extends KvConnectTestSupport {

    static final int DEFAULT_SECONDS = 30;

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void sendAndReceiveUnderRepeatedKillsLoseAndDuplicateNothing() throws Exception {
        EmulatorFixture.Account sender = kvc.account("praxis.soak");
        EmulatorFixture.Account recipient = kvc.account("kv.soak");
        Path outbox = Files.createDirectories(testDir.resolve("outbox"));
        Path received = Files.createDirectories(testDir.resolve("received"));
        String sendUri = kvc.uri(sender, testDir.resolve("sender-state"), "");
        String receiveUri = kvc.uri(recipient, testDir.resolve("recipient-state"), FAST_POLL);
        String[] routes = { "send", outbox.toString(), recipient.address(), sendUri, "receive", receiveUri,
                received.toString() };
        long seed = Long.getLong("kvconnect.soak.seed", System.nanoTime());
        long seconds = Long.getLong("kvconnect.soak.seconds", DEFAULT_SECONDS);
        System.out.println("SendReceiveSoakTest seed: " + seed + ", " + seconds + " s");
        Random random = new Random(seed);
        Path log = testDir.resolve("child.log");
        Map<String, String> fed = new HashMap<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int kills = 0;

        while (System.nanoTime() < end || kills < 3) {
            feed(outbox, fed, 5 + random.nextInt(16), random);
            long roundStart = System.nanoTime();
            try (ChildJvm child = ChildJvm.start(log, routes)) {
                // kill after a random amount of progress, on the sending or the receiving side
                if (random.nextBoolean()) {
                    long target = SendCrashTest.sentFiles(outbox) + 1 + random.nextInt(10);
                    SendCrashTest.await(child, "sent " + target + " (seed " + seed + ")",
                            () -> SendCrashTest.sentFiles(outbox) >= target || SendCrashTest.sentFiles(outbox) == fed.size());
                } else {
                    long target = Math.min(fed.size(), receivedNames(received).size() + 1 + random.nextInt(10));
                    SendCrashTest.await(child, "received " + target + " (seed " + seed + ")",
                            () -> receivedNames(received).size() >= target);
                }
                assertTrue(child.isAlive(), () -> "the child JVM died by itself:\n" + child.logTail());
                child.kill();
                kills++;
                System.out.printf("SendReceiveSoakTest: kill %d after %d ms: %d fed, %d sent, %d received%n", kills,
                        (System.nanoTime() - roundStart) / 1_000_000, fed.size(), SendCrashTest.sentFiles(outbox),
                        receivedNames(received).size());
            }
        }
        try (ChildJvm child = ChildJvm.start(log, routes)) {
            SendCrashTest.await(child, "all " + fed.size() + " files received after " + kills + " kills (seed " + seed + ")",
                    () -> receivedNames(received).size() == fed.size() && mailbox(recipient).isEmpty());
            assertTrue(child.isAlive(), () -> "the child JVM died by itself:\n" + child.logTail());
        }

        Map<String, List<Path>> byName = receivedFiles(received);
        assertEquals(fed.keySet(), byName.keySet(), "zero lost (seed " + seed + ", " + kills + " kills)");
        for (Map.Entry<String, List<Path>> e : byName.entrySet()) {
            assertEquals(1, e.getValue().size(), e.getKey() + " arrived under several Message-IDs: " + e.getValue());
            assertEquals(fed.get(e.getKey()), Files.readString(e.getValue().get(0)), e.getKey());
        }
        assertTrue(mailbox(recipient).isEmpty(), "nothing left on the server");
        System.out.println("SendReceiveSoakTest: " + fed.size() + " files, " + kills + " kills");
    }

    /** Drops new files into the outbox the way a well-behaved writer does: hidden name, then renamed. */
    private static void feed(Path outbox, Map<String, String> fed, int count, Random random) throws IOException {
        for (int i = 0; i < count; i++) {
            String name = String.format("brief-%05d.dat", fed.size());
            String content = name + " " + Long.toHexString(random.nextLong());
            Path hidden = Files.writeString(outbox.resolve("." + name + ".part"), content);
            Files.move(hidden, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            fed.put(name, content);
        }
    }

    private static List<String> receivedNames(Path received) {
        return List.copyOf(receivedFiles(received).keySet());
    }

    /** Received files by original file name (the child stores {@code <name>@<hash of the Message-ID>}). */
    private static Map<String, List<Path>> receivedFiles(Path received) {
        try (Stream<Path> files = Files.list(received)) {
            return files.filter(f -> f.getFileName().toString().contains("@"))
                    .collect(Collectors.groupingBy(f -> f.getFileName().toString().substring(0,
                            f.getFileName().toString().indexOf('@'))));
        } catch (IOException e) {
            return Map.of(); // a rename in progress; asked again
        }
    }
}
