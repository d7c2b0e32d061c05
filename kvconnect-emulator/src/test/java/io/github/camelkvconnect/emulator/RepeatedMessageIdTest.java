package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sender posting a Message-ID it already got accepted (a client's retry after a lost answer or a crash) gets 409 and
 * no second copy is delivered, also after the first copy was fetched and deleted, and across a restart with a data
 * directory. Another sender's message is not affected.
 */
class RepeatedMessageIdTest {

    static final String PW = "Secret12AB";

    @TempDir
    Path dataDir;

    private KvConnectEmulator start(Path dir) {
        KvConnectEmulator.Builder b = KvConnectEmulator.builder()
                .account(EmulatorAccount.ready("alice", PW))
                .account(EmulatorAccount.ready("carol", PW))
                .account(EmulatorAccount.ready("bob", PW));
        return (dir == null ? b : b.dataDir(dir)).start();
    }

    @Test
    void aRepeatedMessageIdIsRefusedAfterTheFirstCopyWasDeletedAndNamedInTheAnswer() {
        try (KvConnectEmulator emulator = start(null)) {
            RestClient alice = new RestClient(emulator).basic("alice", PW);
            String id = Messages.newMessageId();
            byte[] message = Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", id, "x");
            assertEquals(200, alice.post("mails", message).statusCode());
            assertEquals(1, emulator.admin().deleteAllMessages("bob"), "bob fetched and deleted it");

            HttpResponse<String> again = alice.post("mails", message);
            assertEquals(409, again.statusCode());
            assertTrue(again.body().contains(id.substring(1, id.length() - 1)), again.body());
            assertTrue(emulator.admin().listMailbox("bob").isEmpty(), "no second copy");

            // the memory is per sender: carol's own message with another id is delivered as usual
            assertEquals(200, new RestClient(emulator).basic("carol", PW)
                    .post("mails", Messages.message("carol@kv-safenet.de", "bob@kv-safenet.de", Messages.newMessageId(), "y"))
                    .statusCode());
            assertEquals(1, emulator.admin().listMailbox("bob").size());
        }
    }

    @Test
    void theMemoryOfAcceptedMessageIdsSurvivesARestart() throws Exception {
        String id = Messages.newMessageId();
        byte[] message = Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", id, "x");
        try (KvConnectEmulator emulator = start(dataDir)) {
            assertEquals(200, new RestClient(emulator).basic("alice", PW).post("mails", message).statusCode());
            emulator.admin().deleteAllMessages("bob");
        }
        assertTrue(Files.readString(dataDir.resolve("accepted-message-ids/alice.txt")).contains(id.substring(1, id.length() - 1)));
        try (KvConnectEmulator emulator = start(dataDir)) {
            assertEquals(409, new RestClient(emulator).basic("alice", PW).post("mails", message).statusCode());
            assertTrue(emulator.admin().listMailbox("bob").isEmpty());
        }
    }
}
