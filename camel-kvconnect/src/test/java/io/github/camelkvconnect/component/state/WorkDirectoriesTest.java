package io.github.camelkvconnect.component.state;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
