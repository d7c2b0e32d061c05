package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

/**
 * A client that goes away while the emulator still writes its answer (a timeout, a killed process) is normal
 * operation, not a server error: no ERROR line and no stack trace in the emulator's log.
 */
class ClientDisconnectLoggingTest {

    private static final String PW = "Secret12AB";

    @Test
    void clientThatDisconnectsDuringADownloadIsNotLoggedAsAnError() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (KvConnectEmulator emulator = KvConnectEmulator.builder()
                .account(EmulatorAccount.ready("alice", PW)).account(EmulatorAccount.ready("bob", PW)).start()) {
            // 16 MiB: far more than the socket buffers hold, so the emulator is still writing when the client leaves
            byte[] head = Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", Messages.newMessageId(), "big");
            byte[] raw = Arrays.copyOf(head, head.length + 16 * 1024 * 1024);
            Arrays.fill(raw, head.length, raw.length, (byte) 'A');
            String id = emulator.admin().injectMessage("bob", raw);
            String path = "/kvconnect/rest/accounts/" + RestClient.segment(emulator.admin().uid("bob")) + "/mails/"
                          + RestClient.segment(id);

            // slf4j-simple, the tests' logging backend, writes to whatever System.err is at the time of each log call
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (SSLSocket socket = (SSLSocket) TestTls.trustingPem(emulator.tlsCaCertificatePem()).getSocketFactory()
                    .createSocket("localhost", emulator.restPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
                           + Base64.getEncoder().encodeToString(("bob:" + PW).getBytes(StandardCharsets.UTF_8))
                           + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] statusLine = in.readNBytes(12);
                assertEquals("HTTP/1.1 200", new String(statusLine, StandardCharsets.US_ASCII), "the download started");
                // reset instead of an orderly close: the emulator's next write fails at once
                socket.setSoLinger(true, 0);
            }
            awaitNoRequestInProgress();
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        originalErr.print(log);
        assertFalse(log.contains("ERROR"), log);
        assertFalse(log.contains("Broken pipe") || log.contains("Connection reset") || log.contains("\tat "),
                "no stack trace: " + log);
    }

    /** Waits until no emulator HTTP thread is inside a request handler any more. */
    private static void awaitNoRequestInProgress() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (handling()) {
            assertTrue(Instant.now().isBefore(deadline), "the emulator finished the abandoned request within 30 s");
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static boolean handling() {
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            if (t.getKey().getName().startsWith("kvc-emulator-")) {
                for (StackTraceElement frame : t.getValue()) {
                    if (frame.getClassName().endsWith("rest.HttpFrontend") && frame.getMethodName().equals("handle")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
