package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages larger than the in-memory limit are spooled to files, delivered to every recipient, served unchanged,
 * and the spool is cleaned up. Client side streams too: nothing here holds the message in memory.
 */
class LargeMessageTest {

    static final String PW = "Secret12AB";
    static final long BODY = 6L * 1024 * 1024;

    @TempDir
    Path dataDir;

    /** A message with routing headers and {@code BODY} bytes of base64-like text, generated on the fly. */
    private static InputStream message(String id) {
        byte[] head = ("Message-ID: " + id + "\r\nFrom: big.sender@kv-safenet.de\r\n"
                + "To: big.one@kv-safenet.de\r\nCc: big.two@kv-safenet.de\r\nSubject: large\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        InputStream body = new InputStream() {
            private long left = BODY;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                left--;
                return left % 77 == 0 ? '\n' : 'A' + (int) (left % 26);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
        return new SequenceInputStream(new java.io.ByteArrayInputStream(head), body);
    }

    private static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, digest)) {
            d.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return digest.digest();
    }

    private static KvConnectEmulator.Builder builder() {
        return KvConnectEmulator.builder().maxMessageSize(16L * 1024 * 1024)
                .account(EmulatorAccount.ready("big.sender", PW))
                .account(EmulatorAccount.ready("big.one", PW))
                .account(EmulatorAccount.ready("big.two", PW));
    }

    private static void send(KvConnectEmulator emulator, String id) {
        RestClient sender = new RestClient(emulator).basic("big.sender", PW);
        HttpResponse<String> r = sender.send(sender.request("mails")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> message(id))).build());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static byte[] fetchDigest(KvConnectEmulator emulator, String user, String id) throws Exception {
        RestClient client = new RestClient(emulator).basic(user, PW);
        HttpResponse<InputStream> r = client.http().send(client.request("accounts/" + emulator.admin().uid(user)
                + "/mails/" + segment(id)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        return sha256(r.body());
    }

    @Test
    void inMemoryModeSpoolsLargeMessagesAndCleansUp() throws Exception {
        String id = Messages.newMessageId();
        byte[] expected = sha256(message(id));
        Path spool;
        try (KvConnectEmulator emulator = builder().start()) {
            spool = emulator.spoolDirectory();
            assertTrue(spool.getFileName().toString().startsWith("kvconnect-emulator-spool-") && Files.isDirectory(spool),
                    "a temporary spool directory: " + spool);
            send(emulator, id);
            assertArrayEquals(expected, fetchDigest(emulator, "big.one", id));
            assertArrayEquals(expected, fetchDigest(emulator, "big.two", id));
            assertTrue(emulator.admin().listMailbox("big.one").get(0).size() > BODY);

            // each mailbox has its own copy
            RestClient one = new RestClient(emulator).basic("big.one", PW);
            assertEquals(204, one.delete("accounts/" + emulator.admin().uid("big.one") + "/mails/" + segment(id)).statusCode());
            assertArrayEquals(expected, fetchDigest(emulator, "big.two", id));
        }
        // Only this emulator's own directory: other builds on the machine create and remove theirs in the same tmp.
        assertFalse(Files.exists(spool), "the temporary spool directory is removed at close");
    }

    @Test
    void dataDirModeStoresLargeMessagesDurably() throws Exception {
        String id = Messages.newMessageId();
        byte[] expected = sha256(message(id));
        try (KvConnectEmulator emulator = builder().dataDir(dataDir).start()) {
            send(emulator, id);
        }
        try (Stream<Path> spool = Files.list(dataDir.resolve("spool"))) {
            assertEquals(0, spool.count(), "no spool leftovers");
        }
        try (KvConnectEmulator emulator = builder().dataDir(dataDir).start()) {
            assertArrayEquals(expected, fetchDigest(emulator, "big.one", id));
            assertArrayEquals(expected, fetchDigest(emulator, "big.two", id));
        }
    }
}
