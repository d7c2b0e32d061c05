package io.github.camelkvconnect.examples.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --once}: puts a generated sample PDF into the first practice's outbox, waits (bounded) until it was sent,
 * stored in the other practice's inbox and confirmed with an Eingangsbestaetigung (MDN), checks the stored copy, and
 * answers the exit code: 0 if all of it happened, 1 otherwise (with a message saying which step failed).
 */
final class OnceRun {

    private final DemoEvents events;
    private final Console console;
    private final Practice sender;
    private final Practice recipient;
    private final Duration timeout;

    OnceRun(DemoEvents events, Console console, Practice sender, Practice recipient, Duration timeout) {
        this.events = events;
        this.console = console;
        this.sender = sender;
        this.recipient = recipient;
        this.timeout = timeout;
    }

    int run() {
        Instant start = Instant.now();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            String name = "sample-arztbrief-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now())
                          + "-" + UUID.randomUUID().toString().substring(0, 8) + ".pdf";
            byte[] pdf = SamplePdf.create(List.of("KV-Connect demo: sample eArztbrief", "Created " + Instant.now(),
                    "No patient data: a test document only."));
            Path file = drop(name, pdf);
            console.event("[--once] sample %s (%d bytes) put into %s", name, pdf.length, file.getParent());

            DemoEvents.Sent sent = await(events.sentFuture(name), deadline, "sending " + name);
            DemoEvents.Stored stored = await(events.storedFuture(sent.messageId()), deadline,
                    "the message " + sent.messageId() + " to arrive in " + recipient.inbox());
            DemoEvents.Receipt receipt = await(events.receiptFuture(sent.messageId()), deadline,
                    "the Eingangsbestaetigung (MDN) for " + sent.messageId());

            check(stored, pdf, name);
            if (!"VALID".equals(stored.signatureStatus())) {
                return fail("the signature of the received message is " + stored.signatureStatus() + ", not VALID");
            }
            console.line("");
            console.line("--once: OK in " + Duration.between(start, Instant.now()).toMillis() + " ms");
            console.line("  sent      " + name + " from " + sender.address() + " (Message-ID " + sent.messageId() + ")");
            console.line("  received  by " + recipient.address() + ", signature " + stored.signatureStatus()
                         + ", stored in " + stored.folder());
            console.line("  receipt   Eingangsbestaetigung from " + receipt.from() + ": " + receipt.disposition()
                         + ", signature " + receipt.signatureStatus());
            return 0;
        } catch (TimeoutException e) {
            return fail("timed out after " + timeout.toSeconds() + " s waiting for " + e.getMessage()
                        + " (raise demo.once-timeout-seconds on a slow server)");
        } catch (ExecutionException e) {
            return fail(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        } catch (IOException | RuntimeException e) {
            return fail(e.getMessage());
        }
    }

    /** Written under a hidden name first: the outbox route never sees a half-written file. */
    private Path drop(String name, byte[] content) throws IOException {
        Files.createDirectories(sender.outbox());
        Path hidden = sender.outbox().resolve("." + name + ".writing");
        Files.write(hidden, content);
        return Files.move(hidden, sender.outbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private void check(DemoEvents.Stored stored, byte[] pdf, String name) throws IOException {
        Path metadata = stored.folder().resolve(InboxWriter.METADATA_FILE);
        if (!Files.isRegularFile(metadata)) {
            throw new IOException(metadata + " is missing");
        }
        Path copy = stored.folder().resolve(name);
        if (!Files.isRegularFile(copy) || !Arrays.equals(pdf, Files.readAllBytes(copy))) {
            throw new IOException("the received copy " + copy + " is missing or differs from the sample sent");
        }
    }

    private static <T> T await(CompletableFuture<T> future, long deadline, String what)
            throws InterruptedException, ExecutionException, TimeoutException {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
            return future.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(what);
        }
    }

    private int fail(String reason) {
        console.line("");
        console.line("--once: FAILED: " + reason);
        return 1;
    }
}
