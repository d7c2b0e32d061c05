package io.github.camelkvconnect.component;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;

import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 100 MiB attachment is sent and received intact while the whole test JVM (component, emulator and test) runs with
 * a heap smaller than the message: nothing holds the message in memory.
 */
class LargeMessageTest extends KvConnectTestSupport {

    private static final long SIZE = 100L * 1024 * 1024;

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass(b -> b.maxMessageSize(200L * 1024 * 1024));

    @Test
    void hundredMebibyteAttachmentStreamsThroughASmallHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < SIZE * 2,
                "the test must run with a heap smaller than twice the message (surefire argLine)");
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path big = testDir.resolve("scan.pdf");
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1024 * 1024];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (long written = 0; written < SIZE; written += block.length) {
                random.nextBytes(block);
                sent.update(block);
                out.write(block);
            }
        }

        template.send(producerUri(alice), e -> {
            e.getMessage().setBody("Anbei der Scan.");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            e.getMessage(AttachmentMessage.class).addAttachment("scan.pdf", new DataHandler(new FileDataSource(big.toFile())));
        });

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(1);
        String[] digest = new String[1];
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "readTimeout=120000")).process(e -> {
                    MessageDigest received = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = new DigestInputStream(
                            e.getMessage(AttachmentMessage.class).getAttachment("scan.pdf").getInputStream(), received)) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                    digest[0] = HexFormat.of().formatHex(received.digest());
                }).to("mock:inbox");
            }
        });
        // assertIsSatisfied(long) only bounds the wait for endpoints expecting no message: set the wait explicitly.
        inbox.setResultWaitTime(180_000);
        inbox.assertIsSatisfied();
        assertEquals(HexFormat.of().formatHex(sent.digest()), digest[0]);
        awaitMailboxSize(bob, 0);
    }

    /**
     * A text body larger than what the heap could hold as a String (read whole, as chars, it needs several times its
     * size): only its beginning goes into the text header, the whole text stays readable as a stream, and polling goes
     * on. Without the cap the consumer ran out of memory and Camel stopped polling.
     */
    @Test
    void hugeTextBodyIsCutInTheHeaderAndStreamedInFull() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        long textSize = 48L * 1024 * 1024;
        Path text = testDir.resolve("befund.txt");
        byte[] line = "Befund: ohne pathologischen Befund, Kontrolle in sechs Monaten empfohlen.\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(text))) {
            for (long written = 0; written < textSize; written += line.length) {
                out.write(line);
            }
        }
        long size = Files.size(text);
        try (InputStream body = Files.newInputStream(text)) {
            template.send(producerUri(alice), e -> {
                e.getMessage().setBody(body);
                e.getMessage().setHeader(org.apache.camel.Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
                e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            });
        }
        template.sendBodyAndHeader(producerUri(alice), "small one behind it", KvConnectConstants.TO, bob.address());

        MockEndpoint inbox = getMockEndpoint("mock:text");
        inbox.expectedMessageCount(2);
        long[] streamed = new long[1];
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "readTimeout=120000&maxTextHeaderSize=65536")).process(e -> {
                    var attachment = e.getMessage(AttachmentMessage.class).getAttachment(
                            io.github.camelkvconnect.component.mime.InboundMapper.FULL_TEXT_ATTACHMENT);
                    if (attachment != null) {
                        try (InputStream in = attachment.getInputStream()) {
                            streamed[0] = in.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                }).to("mock:text");
            }
        });
        inbox.setResultWaitTime(120_000);
        inbox.assertIsSatisfied();
        var huge = inbox.getReceivedExchanges().get(0).getMessage();
        assertEquals(65536, huge.getHeader(KvConnectConstants.TEXT, String.class).length());
        assertEquals(true, huge.getHeader(KvConnectConstants.TEXT_TRUNCATED));
        assertEquals(size, streamed[0], "the whole text is readable as a stream");
        var small = inbox.getReceivedExchanges().get(1).getMessage();
        assertEquals("small one behind it", small.getHeader(KvConnectConstants.TEXT));
        assertEquals(null, small.getHeader(KvConnectConstants.TEXT_TRUNCATED));
        awaitMailboxSize(bob, 0);
    }
}
