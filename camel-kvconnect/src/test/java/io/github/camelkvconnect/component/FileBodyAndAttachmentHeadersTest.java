package io.github.camelkvconnect.component;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the producer makes of a file consumer's body and of Camel attachment headers, seen from the receiving side.
 */
class FileBodyAndAttachmentHeadersTest extends KvConnectTestSupport {

    /** Properties where the receiving route records what it saw of each part (read while the exchange is in flight). */
    private static final String PART_TYPES = "test.partTypes";
    private static final String PART_HEADERS = "test.partHeaders";

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void fileConsumerBodyIsSentAsBinaryAttachmentWithItsName() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        // PDF-like content with every byte value: sent as UTF-8 text, 0x80-0xFF and lone CR/LF would not survive
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        pdf.writeBytes("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII));
        for (int round = 0; round < 64; round++) {
            for (int b = 0; b <= 0xff; b++) {
                pdf.write(b);
            }
        }
        pdf.writeBytes("\n%%EOF\r".getBytes(StandardCharsets.US_ASCII));
        Path outbox = Files.createDirectories(testDir.resolve("outbox"));
        Path file = Files.write(outbox.resolve("befund-2026-11.pdf"), pdf.toByteArray());

        MockEndpoint sent = getMockEndpoint("mock:sent");
        sent.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + outbox + "?noop=false&initialDelay=0&delay=100")
                        .setHeader(KvConnectConstants.TO, constant(bob.address()))
                        .setHeader(KvConnectConstants.SUBJECT, constant("Befund"))
                        .to(producerUri(alice))
                        .to("mock:sent");
            }
        });
        sent.assertIsSatisfied(20_000);
        Await.until("the file consumer moves the sent file away", Duration.ofSeconds(20), () -> !Files.exists(file));

        MockEndpoint inbox = receiveAll(bob, 1);
        Exchange in = inbox.getReceivedExchanges().get(0);
        AttachmentMessage am = in.getMessage(AttachmentMessage.class);
        assertEquals(1, am.getAttachments().size(), () -> String.valueOf(am.getAttachmentNames()));
        assertArrayEquals(pdf.toByteArray(), ReadContent.attachment(in, "befund-2026-11.pdf"),
                "the file arrives byte for byte under its own name");
        assertEquals("application/pdf", partTypes(in).get("befund-2026-11.pdf"), "type probed from the name");
        assertNull(in.getMessage().getHeader(KvConnectConstants.TEXT), "not sent as text");
    }

    @Test
    void attachmentDescriptionAndContentIdTravelOtherHeadersDoNot() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Exchange result = template.request(producerUri(alice), e -> {
            e.getMessage().setBody("eArztbrief anbei");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
            AttachmentMessage am = e.getMessage(AttachmentMessage.class);
            DefaultAttachment letter = attachment("%PDF-1.4 letter", "application/pdf");
            letter.setHeader("Content-Description", "eAB-PDF-unsigned");
            letter.setHeader("Content-ID", "<brief-1@praxis.example>");
            letter.setHeader("X-Private-Note", "not for the recipient");
            letter.setHeader("Content-Disposition", "inline");
            am.addAttachmentObject("arztbrief.pdf", letter);
            DefaultAttachment befund = attachment("Befund", "text/plain");
            befund.setHeader("Content-Description", "Laborbefund f\u00fcr Frau M\u00fcller");
            befund.setHeader("Content-ID", "not a msg-id");
            am.addAttachmentObject("befund.txt", befund);
        });
        assertNull(result.getException());

        Exchange in = receiveAll(bob, 1).getReceivedExchanges().get(0);
        AttachmentMessage am = in.getMessage(AttachmentMessage.class);
        Attachment letter = am.getAttachmentObject("arztbrief.pdf");
        assertEquals("eAB-PDF-unsigned", letter.getHeader("Content-Description"));
        assertEquals("Laborbefund f\u00fcr Frau M\u00fcller", am.getAttachmentObject("befund.txt").getHeader("Content-Description"),
                "non-ASCII descriptions are encoded on the wire and decoded on receipt");

        Map<String, String> letterHeaders = partHeaders(in).get("arztbrief.pdf");
        assertEquals("<brief-1@praxis.example>", letterHeaders.get("content-id"));
        assertTrue(letterHeaders.get("content-disposition").startsWith("attachment"), letterHeaders.toString());
        assertNull(letterHeaders.get("x-private-note"), "only descriptive headers are carried");
        assertNull(partHeaders(in).get("befund.txt").get("content-id"), "an invalid Content-ID is left out");
    }

    @Test
    void lineBreakInAnAttachmentHeaderIsRejectedAndNothingIsSent() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        for (String header : new String[] { "Content-Description", "Content-ID" }) {
            Exchange result = template.request(producerUri(alice), e -> {
                e.getMessage().setBody("text");
                e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
                DefaultAttachment a = attachment("data", "application/octet-stream");
                a.setHeader(header, "<x@y>\r\nBcc: mallory@kv-safenet.de");
                e.getMessage(AttachmentMessage.class).addAttachmentObject("data.bin", a);
            });
            KvConnectInvalidHeaderException error = assertInstanceOf(KvConnectInvalidHeaderException.class,
                    result.getException());
            assertTrue(error.getMessage().contains(header) && error.getMessage().contains("data.bin"), error.getMessage());
        }
        assertTrue(mailbox(bob).isEmpty(), "nothing reached the recipient");
        assertEquals(0, context.getEndpoint(producerUri(alice), KvConnectEndpoint.class).getSentCount());
    }

    private static DefaultAttachment attachment(String content, String type) {
        return new DefaultAttachment(new DataHandler(new ByteArrayDataSource(content.getBytes(StandardCharsets.UTF_8), type)));
    }

    /** Starts a consumer for the account and waits for the messages; records content and part headers in flight. */
    private MockEndpoint receiveAll(EmulatorFixture.Account account, int count) throws Exception {
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedMessageCount(count);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(account, "")).process(ReadContent.intoProperties())
                        .process(FileBodyAndAttachmentHeadersTest::recordParts).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(account, 0);
        return inbox;
    }

    /** Records each attachment part's content type and (lower-cased) headers from the received entity. */
    private static void recordParts(Exchange exchange) throws Exception {
        MimeMessage entity = exchange.getMessage().getBody(MimeMessage.class);
        Map<String, String> types = new HashMap<>();
        Map<String, Map<String, String>> headers = new HashMap<>();
        if (entity.isMimeType("multipart/*")) {
            MimeMultipart mixed = (MimeMultipart) entity.getContent();
            for (int i = 0; i < mixed.getCount(); i++) {
                record(mixed.getBodyPart(i), types, headers);
            }
        } else {
            record(entity, types, headers);
        }
        exchange.setProperty(PART_TYPES, types);
        exchange.setProperty(PART_HEADERS, headers);
    }

    private static void record(jakarta.mail.Part part, Map<String, String> types, Map<String, Map<String, String>> headers)
            throws Exception {
        String name = part.getFileName() == null ? null : jakarta.mail.internet.MimeUtility.decodeText(part.getFileName());
        if (name == null) {
            return;
        }
        types.put(name, new jakarta.mail.internet.ContentType(part.getContentType()).getBaseType());
        Map<String, String> h = new HashMap<>();
        for (var e = part.getAllHeaders(); e.hasMoreElements();) {
            jakarta.mail.Header header = e.nextElement();
            h.put(header.getName().toLowerCase(java.util.Locale.ROOT), header.getValue());
        }
        headers.put(name, h);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> partTypes(Exchange exchange) {
        return exchange.getProperty(PART_TYPES, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> partHeaders(Exchange exchange) {
        return exchange.getProperty(PART_HEADERS, Map.class);
    }
}
