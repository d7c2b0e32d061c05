package io.github.camelkvconnect.component;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.ReadContent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The decrypted content of a received message lives in a temporary file behind an open stream. Deleting the file is
 * not enough: the open handle keeps the (decrypted) data on disk and the descriptor in use until a garbage collection.
 * Every way a received message can end closes the handle: the exchange completed, the route failed, the signature was
 * rejected, the content could not be mapped. Checked on the real process: no descriptor of the JVM
 * ({@code /proc/self/fd}) points into the consumer's work directory afterwards.
 */
class DecryptedContentReleaseTest extends KvConnectTestSupport {

    private static final Path OWN_FDS = Path.of("/proc/self/fd");

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void noHandleOnDecryptedContentRemainsOnSuccessOrAnyFailurePath() throws Exception {
        assumeTrue(Files.isDirectory(OWN_FDS), "needs Linux /proc/self/fd");
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        EmulatorFixture.Account mallory = kvc.account(unique("mallory"));
        EmulatorFixture.Account carol = kvc.account(unique("carol"));
        byte[] report = "Befund".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i <= 3; i++) {
            sendWithAttachment(alice, bob, "delivered " + i, report);
        }
        sendWithAttachment(alice, bob, "fails in the route", report);
        // signed with Carol's genuine certificate but claiming to come from Mallory: rejected for its signature
        inject(mallory, carol.keystore(), bob, textEntity("forged"), Map.of());
        // decrypts and verifies, but its MIME structure is nested too deeply to be mapped
        inject(alice, alice.keystore(), bob, new MimeBodyPart(new ByteArrayInputStream(nested(20))), Map.of());

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(3);
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(3);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "signaturePolicy=reject&failureBackoff=600000")).routeId("bob")
                        .process(ReadContent.intoProperties())
                        .process(e -> {
                            if (e.getMessage().getHeader(KvConnectConstants.TEXT, "", String.class).contains("fails")) {
                                throw new IllegalStateException("downstream system unavailable");
                            }
                        })
                        .to("mock:inbox");
            }
        });
        MockEndpoint.assertIsSatisfied(30, TimeUnit.SECONDS, inbox, errors);
        for (var exchange : inbox.getReceivedExchanges()) {
            assertArrayEquals(report, ReadContent.attachment(exchange, "report.txt"), "read intact while in flight");
        }
        Path work = receiveWork(bob);
        // the per-message work directories are removed after the handles are closed: wait for the last removal
        Await.until("all message work directories removed", Duration.ofSeconds(20), () -> isEmpty(work));
        assertEquals(List.of(), openHandlesUnder(work), "descriptors still open on decrypted content");
        assertEquals(3, mailbox(bob).size(), "the failed, forged and malformed messages stay on the server");
    }

    @Test
    void readingAnAttachmentAfterTheExchangeCompletedFailsWithAClearMessage() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String id = sendWithAttachment(alice, bob, "late reader", "content".getBytes(StandardCharsets.UTF_8));
        MockEndpoint inbox = receive(bob, "", 1);
        awaitMailboxSize(bob, 0);
        Await.until("work directory cleaned", Duration.ofSeconds(20), () -> isEmpty(receiveWork(bob)));
        DataHandler late = inbox.getReceivedExchanges().get(0).getMessage(AttachmentMessage.class).getAttachment("report.txt");
        IOException e = assertThrows(IOException.class, late::getInputStream);
        assertTrue(e.getMessage().contains(id) && e.getMessage().contains("within the route"), e.getMessage());
    }

    private String sendWithAttachment(EmulatorFixture.Account from, EmulatorFixture.Account to, String text, byte[] attachment) {
        return template.request(producerUri(from), e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader(KvConnectConstants.TO, to.address());
            e.getMessage(AttachmentMessage.class).addAttachment("report.txt",
                    new DataHandler(new ByteArrayDataSource(attachment, "text/plain")));
        }).getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
    }

    /** A MIME entity of {@code depth} multiparts nested in each other around one text part. */
    private static byte[] nested(int depth) {
        StringBuilder head = new StringBuilder();
        StringBuilder tail = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            head.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
            tail.insert(0, "\r\n--b" + i + "--\r\n");
        }
        return (head + "Content-Type: text/plain\r\n\r\ndeep" + tail).getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isEmpty(Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The targets of this process's open file descriptors that lie in {@code directory} (deleted files included). */
    private static List<String> openHandlesUnder(Path directory) throws IOException {
        String prefix = directory.toRealPath().toString();
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(OWN_FDS)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(prefix)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed between listing and reading it
                }
            }
        }
        return open;
    }
}
