package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.support.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingReceiptsTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();

    private PendingReceipts open(Path file) throws IOException {
        return new PendingReceipts(file, MINUTE, Duration.ofMinutes(5), clock);
    }

    private PendingReceipts.Receipt receipt(String originalId, String dienstkennung) {
        return new PendingReceipts.Receipt(PendingReceipts.receiptMessageId("bob@kv-safenet.de", originalId), originalId,
                "alice@kv-safenet.de", dienstkennung, Instant.parse("2026-12-01T10:00:00Z"), 0);
    }

    @Test
    void aRecordedReceiptSurvivesReopeningWithAllItsFields() throws Exception {
        Path file = dir.resolve("bob.receipts");
        // fields with the file's separators, percent signs and non-ASCII must come back unchanged
        PendingReceipts.Receipt first = receipt("<a b%20c\tü@host>", "1ClickAbrechnung;Eingangsbestaetigung;V2.0");
        PendingReceipts.Receipt second = receipt("<Mime4j.0.81c65006d0c27d68.1641cd879c4>", null);
        PendingReceipts store = open(file);
        assertTrue(store.add(first));
        assertTrue(store.add(second));

        PendingReceipts reopened = open(file);
        assertEquals(List.of(first, second), reopened.due(), "both, oldest first, every field intact");
        assertEquals(2, reopened.size());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), reopened.oldestRecordedAt().orElseThrow());
    }

    @Test
    void addingTheSameReceiptAgainKeepsOneRecord() throws Exception {
        PendingReceipts store = open(dir.resolve("bob.receipts"));
        assertTrue(store.add(receipt("<m1@x>", null)));
        assertFalse(store.add(receipt("<m1@x>", null)));
        assertEquals(1, open(dir.resolve("bob.receipts")).size());
    }

    @Test
    void aRemovedReceiptIsGoneAfterReopening() throws Exception {
        Path file = dir.resolve("bob.receipts");
        PendingReceipts store = open(file);
        PendingReceipts.Receipt kept = receipt("<kept@x>", null);
        PendingReceipts.Receipt sent = receipt("<sent@x>", null);
        store.add(kept);
        store.add(sent);
        store.remove(sent.receiptMessageId());
        assertEquals(List.of(kept), store.due());
        assertEquals(List.of(kept), open(file).due());
        store.remove(kept.receiptMessageId());
        assertEquals(0, open(file).size());
        assertTrue(open(file).oldestRecordedAt().isEmpty());
    }

    @Test
    void failedAttemptsBackOffDoublingUpToTheMaximumAndAreDueAtOnceAfterARestart() throws Exception {
        Path file = dir.resolve("bob.receipts");
        PendingReceipts store = open(file);
        PendingReceipts.Receipt r = receipt("<m@x>", null);
        store.add(r);
        assertEquals(List.of(r), store.due(), "a new receipt is due at once");

        assertEquals(1, store.recordFailure(r.receiptMessageId()).attempts());
        assertTrue(store.due().isEmpty(), "waits after the first failure");
        clock.advance(MINUTE.plusSeconds(1));
        assertEquals(1, store.due().size(), "due after one minute");

        assertEquals(2, store.recordFailure(r.receiptMessageId()).attempts());
        clock.advance(MINUTE.plusSeconds(1));
        assertTrue(store.due().isEmpty(), "the second failure waits two minutes");
        clock.advance(MINUTE);
        assertEquals(1, store.due().size());

        for (int i = 0; i < 10; i++) {
            store.recordFailure(r.receiptMessageId());
        }
        assertEquals(Duration.ofMinutes(5), store.backoff(12), "capped at the maximum");
        clock.advance(Duration.ofMinutes(4));
        assertTrue(store.due().isEmpty());
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals(1, store.due().size());

        store.recordFailure(r.receiptMessageId());
        assertTrue(store.due().isEmpty());
        PendingReceipts restarted = open(file);
        assertEquals(1, restarted.due().size(), "after a restart every pending receipt is due at once");
        assertEquals(13, restarted.due().get(0).attempts(), "the attempt count survives");
    }

    @Test
    void theReceiptMessageIdIsDerivedFromAccountAndOriginalMessageId() {
        String id = PendingReceipts.receiptMessageId("Bob@KV-Safenet.de", "<m1@x>");
        assertEquals(id, PendingReceipts.receiptMessageId("bob@kv-safenet.de", "<m1@x>"), "stable, account case ignored");
        assertTrue(id.matches("<receipt\\.[0-9a-f]{40}@kv-safenet\\.de>"), id);
        assertNotEquals(id, PendingReceipts.receiptMessageId("bob@kv-safenet.de", "<m2@x>"));
        assertNotEquals(id, PendingReceipts.receiptMessageId("carol@kv-safenet.de", "<m1@x>"));
    }

    @Test
    void aReceiptThatCannotBeWrittenIsNotRecorded() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        PendingReceipts store = open(notADirectory.resolve("bob.receipts"));
        assertThrows(IOException.class, () -> store.add(receipt("<m@x>", null)));
        assertEquals(0, store.size(), "nothing is reported pending that is not on the disk");
    }

    @Test
    void aLineThisClassDidNotWriteFailsTheOpenNamingFileAndLine() throws Exception {
        Path file = dir.resolve("bob.receipts");
        PendingReceipts store = open(file);
        store.add(receipt("<m@x>", null));
        Files.writeString(file, "garbage\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("Line 3"), e.getMessage());
    }
}
