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
}
