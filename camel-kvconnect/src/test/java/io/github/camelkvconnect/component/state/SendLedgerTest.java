package io.github.camelkvconnect.component.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The send ledger: durable when a method returns, crash-tolerant, shared by several instances, bounded. */
class SendLedgerTest {

    @TempDir
    Path dir;

    private SendLedger ledger(int maxEntries) {
        return SendLedger.forAccount(dir, "praxis@kv-safenet.de", maxEntries, Clock.systemUTC());
    }

    @Test
    void aPendingRecordIsOnDiskWhenItReturnsAndItsMessageIdWinsOnRetry() throws Exception {
        SendLedger ledger = ledger(100);
        SendLedger.Entry first = ledger.recordPending("file:a.dat|sha256:01|to:kv@kv-safenet.de", "<id-1@kv-safenet.de>");
        assertEquals(SendLedger.State.PENDING, first.state());
        // the line is in the file already: what a process killed right now leaves behind
        List<String> lines = Files.readAllLines(ledger.getFile());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("P ") && lines.get(0).contains("<id-1@kv-safenet.de>"), lines.get(0));

        // after a crash: a new instance (a restarted process) finds it, and a retry keeps its Message-ID
        SendLedger restarted = ledger(100);
        SendLedger.Entry again = restarted.recordPending("file:a.dat|sha256:01|to:kv@kv-safenet.de", "<other@kv-safenet.de>");
        assertEquals("<id-1@kv-safenet.de>", again.messageId());
        assertEquals(SendLedger.State.PENDING, again.state());

        restarted.recordSent("file:a.dat|sha256:01|to:kv@kv-safenet.de", "<id-1@kv-safenet.de>");
        SendLedger.Entry sent = ledger(100).find("file:a.dat|sha256:01|to:kv@kv-safenet.de").orElseThrow();
        assertEquals(SendLedger.State.SENT, sent.state());
        assertEquals("<id-1@kv-safenet.de>", sent.messageId());
        // a pending record never downgrades a sent one
        assertEquals(SendLedger.State.SENT, ledger(100).recordPending("file:a.dat|sha256:01|to:kv@kv-safenet.de",
                "<x@kv-safenet.de>").state());
    }

    @Test
    void instancesSharingTheFileSeeEachOthersRecords() throws Exception {
        SendLedger one = ledger(100);
        SendLedger two = ledger(100);
        assertTrue(one.find("k").isEmpty());
        two.recordPending("k", "<k@kv-safenet.de>");
        assertEquals("<k@kv-safenet.de>", one.recordPending("k", "<other@kv-safenet.de>").messageId());
        one.recordSent("k", "<k@kv-safenet.de>");
        assertEquals(SendLedger.State.SENT, two.find("k").orElseThrow().state());
    }

    @Test
    void aRecordCutShortByACrashIsIgnoredAndTheNextRecordStartsOnItsOwnLine() throws Exception {
        SendLedger ledger = ledger(100);
        ledger.recordPending("complete", "<c@kv-safenet.de>");
        String full = SendLedger.format(new SendLedger.Entry("torn key", "<t@kv-safenet.de>", SendLedger.State.SENT,
                java.time.Instant.now()));
        // a process killed in the middle of an append: the key is cut short, the newline missing
        Files.writeString(ledger.getFile(), full.substring(0, full.length() - 3), StandardOpenOption.APPEND);

        SendLedger restarted = ledger(100);
        assertTrue(restarted.find("torn key").isEmpty());
        assertTrue(restarted.find("torn k").isEmpty(), "a prefix of a key is not taken for a key");
        restarted.recordPending("next", "<n@kv-safenet.de>");
        SendLedger reread = ledger(100);
        assertEquals("<n@kv-safenet.de>", reread.find("next").orElseThrow().messageId());
        assertEquals("<c@kv-safenet.de>", reread.find("complete").orElseThrow().messageId());
        assertEquals(2, reread.size());
    }

    @Test
    void keysWithLineBreaksAndSpacesStayOneRecord() throws Exception {
        ledger(100).recordPending("file:a b\nc\\d.dat|to:x", "<e@kv-safenet.de>");
        assertEquals(1, Files.readAllLines(ledger(100).getFile()).size());
        assertEquals("<e@kv-safenet.de>", ledger(100).find("file:a b\nc\\d.dat|to:x").orElseThrow().messageId());
    }

    @Test
    void theLedgerKeepsTheNewestKeysAndCompactsTheFile() throws Exception {
        SendLedger ledger = ledger(5);
        for (int i = 0; i < 23; i++) {
            ledger.recordPending("key-" + i, "<m" + i + "@kv-safenet.de>");
            ledger.recordSent("key-" + i, "<m" + i + "@kv-safenet.de>");
        }
        assertTrue(ledger.size() <= 10, "bounded: " + ledger.size());
        assertTrue(Files.readAllLines(ledger.getFile(), StandardCharsets.UTF_8).size() < 10, "the file is compacted");
        SendLedger reread = ledger(5);
        assertEquals(SendLedger.State.SENT, reread.find("key-22").orElseThrow().state(), "the newest key is kept");
        assertTrue(reread.find("key-0").isEmpty(), "the oldest keys are pruned");
        // another instance that read the file before the compaction catches up with the new file
        SendLedger before = ledger(5);
        before.find("key-22");
        for (int i = 23; i < 40; i++) {
            ledger.recordPending("key-" + i, "<m" + i + "@kv-safenet.de>");
        }
        assertEquals("<m39@kv-safenet.de>", before.find("key-39").orElseThrow().messageId());
        assertTrue(before.find("key-22").isEmpty());
    }

    @Test
    void anUnusableStateDirectoryIsNamedInTheException() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("state"), "a file");
        SendLedger ledger = SendLedger.forAccount(notADirectory, "praxis@kv-safenet.de", 10, Clock.systemUTC());
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ledger.recordPending("k", "<k@kv-safenet.de>"));
        assertTrue(e.getMessage().contains(ledger.getFile().toString()) && e.getMessage().contains("state directory"),
                e.getMessage());
    }

    @Test
    void aLineThatIsNoRecordParsesToNothing() {
        assertNull(SendLedger.parse(""));
        assertNull(SendLedger.parse("S 0 1 <a@b> key"), "wrong checksum");
        assertNull(SendLedger.parse("X whatever"));
    }
}
