package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkDirectoriesTest {

    @TempDir
    Path state;

    @Test
    void sendDirectoriesOfLiveOwnersStayAbandonedOnesAreRemoved() throws Exception {
        String account = "praxis@kv-safenet.de";
        // left behind by a crashed process: lock file present, nobody holds the lock
        Path abandoned = WorkDirectories.accountRoot(state, account).resolve("send-crashed");
        Files.createDirectories(abandoned);
        Files.writeString(abandoned.resolve(".owner.lock"), "");
        Files.writeString(abandoned.resolve("out-1.bin"), "outgoing plain text");
        // a receive directory of the same account is not the send side's business
        Path receive = WorkDirectories.receive(state, account);
        Files.createDirectories(receive);
        Files.writeString(receive.resolve("in-1.eml"), "x");

        try (WorkDirectories.Owned first = WorkDirectories.newSendDirectory(state, account)) {
            assertFalse(Files.exists(abandoned), "the abandoned send directory is removed");
            Files.writeString(first.directory().resolve("out-2.bin"), "in flight");
            try (WorkDirectories.Owned second = WorkDirectories.newSendDirectory(state, account)) {
                assertNotEquals(first.directory(), second.directory());
                assertTrue(Files.exists(first.directory().resolve("out-2.bin")), "a live owner's files stay");
            }
            assertTrue(Files.exists(receive.resolve("in-1.eml")));
            Path mine = first.directory();
            first.close();
            assertFalse(Files.exists(mine), "removed when its endpoint stops");
        }
    }

    /**
     * Another endpoint of the account starts (and sweeps for abandoned send directories) at every step of creating a
     * new send directory: the new directory survives each sweep and ends up owned. Creating the published lock file
     * before locking it would let the sweep after LOCK_FILE_CREATED lock it and delete the directory.
     */
    @Test
    void aSweepBetweenTheStepsOfCreatingASendDirectoryLeavesItAlone() throws Exception {
        String account = "praxis@kv-safenet.de";
        List<WorkDirectories.CreationStep> steps = new ArrayList<>();
        List<Path> seen = new ArrayList<>();
        Path root = WorkDirectories.accountRoot(state, account);
        try (WorkDirectories.Owned owned = WorkDirectories.newSendDirectory(state, account, step -> {
            steps.add(step);
            try (var dirs = Files.list(root)) {
                seen.addAll(dirs.toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                WorkDirectories.newSendDirectory(state, account).close(); // another endpoint: starts, sweeps, stops
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertEquals(1, countSendDirectories(root), "after the sweep at " + step + " the new directory still exists");
        })) {
            assertEquals(List.of(WorkDirectories.CreationStep.values()), steps);
            assertEquals(Collections.nCopies(steps.size(), owned.directory()), seen, "each sweep saw the new directory");
            assertTrue(Files.isDirectory(owned.directory()));
            Files.writeString(owned.directory().resolve("out-1.bin"), "in flight");
            WorkDirectories.newSendDirectory(state, account).close();
            assertTrue(Files.exists(owned.directory().resolve("out-1.bin")), "owned: a later sweep keeps it too");
        }
        assertEquals(0, countSendDirectories(root), "removed when its owner closes it");
    }

    private static long countSendDirectories(Path root) {
        try (var dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("send-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
