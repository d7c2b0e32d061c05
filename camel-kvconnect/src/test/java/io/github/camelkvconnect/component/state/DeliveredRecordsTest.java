package io.github.camelkvconnect.component.state;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's record of delivered messages: on disk before add() returns, crash-tolerant, compacted atomically. */
class DeliveredRecordsTest {

    @TempDir
    Path dir;

    private static DeliveredRecords started(Path file, int maxEntries) {
        DeliveredRecords records = new DeliveredRecords(file, maxEntries);
        records.start();
        return records;
    }

    @Test
    void aRecordIsInTheFileWhenAddReturnsAndSurvivesARestart() throws Exception {
        Path file = dir.resolve("praxis@kv-safenet.de.delivered");
        DeliveredRecords records = started(file, 100);
        assertTrue(records.add("praxis@kv-safenet.de|<a@x>|hash-a"));
        assertFalse(records.add("praxis@kv-safenet.de|<a@x>|hash-a"), "already recorded");
        // read by another reader without stopping: the line is already written
        assertEquals(List.of("praxis@kv-safenet.de|<a@x>|hash-a"), Files.readAllLines(file));

        DeliveredRecords afterCrash = started(file, 100);
        assertTrue(afterCrash.contains("praxis@kv-safenet.de|<a@x>|hash-a"));
        assertFalse(afterCrash.contains("praxis@kv-safenet.de|<b@x>|hash-b"));
    }

    @Test
    void readsCamelsFileFormatAndIgnoresALineCutShortByACrash() throws Exception {
        Path file = dir.resolve("legacy.delivered");
        Files.writeString(file, "k1\nk2\nk3-cut-sho", StandardCharsets.UTF_8);
        DeliveredRecords records = started(file, 100);
        assertTrue(records.contains("k1") && records.contains("k2"));
        assertFalse(records.contains("k3-cut-sho"), "an incomplete line is not a record");
        // the torn tail is gone, so the next record starts on a line of its own
        records.add("k4");
        assertEquals(List.of("k1", "k2", "k4"), Files.readAllLines(file));
    }

    @Test
    void aMessageIdWithLineBreaksCannotForgeASecondRecord() {
        Path file = dir.resolve("escape.delivered");
        DeliveredRecords records = started(file, 100);
        records.add("acc|<x@y>\nacc|<victim@y>|hash|hash-x");
        records.add("acc|back\\slash|h");
        DeliveredRecords reloaded = started(file, 100);
        assertTrue(reloaded.contains("acc|<x@y>\nacc|<victim@y>|hash|hash-x"));
        assertFalse(reloaded.contains("acc|<victim@y>|hash|hash-x"));
        assertTrue(reloaded.contains("acc|back\\slash|h"));
    }

    @Test
    void keepsTheNewestEntriesWhenCompactingAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("compact.delivered");
        DeliveredRecords records = started(file, 3);
        for (int i = 1; i <= 6; i++) {
            records.add("k" + i);
        }
        // twice maxEntries reached: rewritten with the newest three
        assertEquals(List.of("k4", "k5", "k6"), Files.readAllLines(file));
        assertFalse(records.contains("k1"));
        records.add("k7");
        assertEquals(List.of("k4", "k5", "k6", "k7"), Files.readAllLines(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "only the record file");
        }
        records.stop();
        DeliveredRecords reloaded = started(file, 3);
        assertTrue(reloaded.contains("k5") && reloaded.contains("k6") && reloaded.contains("k7"));
        assertFalse(reloaded.contains("k4"), "trimmed to the newest three on start");
    }

    @Test
    void removeRewritesTheFile() throws Exception {
        Path file = dir.resolve("remove.delivered");
        DeliveredRecords records = started(file, 100);
        records.add("k1");
        records.add("k2");
        assertTrue(records.remove("k1"));
        assertFalse(records.remove("k1"));
        assertEquals(List.of("k2"), Files.readAllLines(file));
    }
}
