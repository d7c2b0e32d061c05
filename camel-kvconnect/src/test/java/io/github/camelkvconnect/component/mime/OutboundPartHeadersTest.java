package io.github.camelkvconnect.component.mime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Headers of route-built MIME parts at every level are checked before anything is signed. */
class OutboundPartHeadersTest {

    @TempDir
    Path dir;

    private final CamelContext context = new DefaultCamelContext();
    private final List<Path> tempFiles = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        tempFiles.forEach(TempFiles::deleteQuietly);
        context.close();
    }

    /** A MimeMessage: text part 1, and part 2 a multipart/related whose first part carries the header under test. */
    private static MimeMessage nested(String header, String value) throws MessagingException {
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Befund anbei", "utf-8");
        MimeBodyPart inner = new MimeBodyPart();
        inner.setText("eingebettet", "utf-8");
        inner.setHeader(header, value);
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(inner);
        MimeBodyPart wrapper = new MimeBodyPart();
        wrapper.setContent(related);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(wrapper);
        MimeMessage message = new MimeMessage((jakarta.mail.Session) null);
        message.setContent(mixed);
        message.saveChanges();
        return message;
    }

    private MimeBodyPart build(Object body) throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body);
        return new OutboundEntityBuilder(dir).build(exchange, tempFiles);
    }

    private KvConnectInvalidHeaderException refused(String header, String value) {
        return assertThrows(KvConnectInvalidHeaderException.class, () -> build(nested(header, value)));
    }

    @Test
    void lineBreakInsideANestedPartHeaderIsRefusedNamingPartAndHeader() {
        KvConnectInvalidHeaderException e = refused("X-Befund-Id", "4711\r\nBcc: mallory@kv-safenet.de");
        assertTrue(e.getMessage().contains("X-Befund-Id") && e.getMessage().contains("MIME part 2.1"), e.getMessage());
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
        assertFalse(e.getMessage().contains("mallory") || e.getMessage().contains("4711"), "no value: " + e.getMessage());
    }

    @Test
    void leadingLineBreakAndBareLineFeedFoldingAreRefused() {
        // Header#getValue() would skip a leading CRLF; the written line keeps it
        assertTrue(refused("X-Note", "\r\nBcc: mallory@kv-safenet.de").getMessage().contains("line break"));
        assertTrue(refused("X-Note", "first\n second").getMessage().contains("line break"), "only CRLF + WSP folds");
        assertTrue(refused("X-Note", "first\r second").getMessage().contains("line break"));
    }

    @Test
    void nulControlAndNonAsciiAreRefused() {
        assertTrue(refused("X-Note", "a\u0000b").getMessage().contains("NUL"));
        assertTrue(refused("X-Note", "a\u0007b").getMessage().contains("control character"));
        KvConnectInvalidHeaderException e = refused("Content-Description", "Befund M\u00fcller");
        assertTrue(e.getMessage().contains("non-ASCII") && e.getMessage().contains("Content-Description"), e.getMessage());
        assertFalse(e.getMessage().contains("M\u00fcller"), e.getMessage());
    }

    @Test
    void invalidHeaderNameIsRefused() {
        KvConnectInvalidHeaderException e = refused("X-A\r\nBcc", "x");
        assertTrue(e.getMessage().contains("not a valid header name"), e.getMessage());
    }

    @Test
    void foldedAndEncodedHeadersPass() throws Exception {
        assertDoesNotThrow(() -> build(nested("X-Note", "a long value\r\n\tcontinued on a folded line")));
        MimeBodyPart built = build(nested("Content-Description",
                jakarta.mail.internet.MimeUtility.encodeText("Befund M\u00fcller", "utf-8", null)));
        assertTrue(built.isMimeType("multipart/mixed"));
        MimeBodyPart umlautName = new MimeBodyPart();
        umlautName.setText("x", "utf-8");
        umlautName.setFileName("Befund_M\u00fcller.txt"); // RFC 2231 encoded by Jakarta Mail
        assertDoesNotThrow(() -> build(messageWith(umlautName)));
    }

    @Test
    void attachmentContentTypeFromItsDataHandlerIsChecked() throws Exception {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("text");
        DefaultAttachment a = new DefaultAttachment(new DataHandler(new ByteArrayDataSource(
                "data".getBytes(StandardCharsets.UTF_8), "application/pdf\r\nBcc: mallory@kv-safenet.de")));
        exchange.getMessage(AttachmentMessage.class).addAttachmentObject("brief.pdf", a);
        KvConnectInvalidHeaderException e = assertThrows(KvConnectInvalidHeaderException.class,
                () -> new OutboundEntityBuilder(dir).build(exchange, tempFiles));
        assertTrue(e.getMessage().contains("Content-Type of attachment 'brief.pdf'"), e.getMessage());
    }

    @Test
    void unparsableContentTypeOfANestedPartIsRefusedWithoutQuotingIt() {
        KvConnectInvalidHeaderException e = refused("Content-Type", "text/plain; a=b\r\nBcc: mallory@kv-safenet.de");
        assertFalse(e.getMessage().contains("mallory"), e.getMessage());
    }

    /** An .eml file attached as it is: its own headers (8-bit, as real mail often has) are content, not structure. */
    @Test
    void attachedMailFileIsContentNotStructure() throws Exception {
        java.nio.file.Path eml = java.nio.file.Files.write(dir.resolve("weitergeleitet.eml"),
                ("From: Praxis M\u00fcller <a@b.de>\r\nSubject: R\u00fcckfrage\r\nContent-Type: text/plain\r\n\r\nText\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(eml.toFile());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "message/rfc822");
        MimeBodyPart built = new OutboundEntityBuilder(dir).build(exchange, tempFiles);
        assertTrue(built.isMimeType("message/rfc822"));
        assertEquals("base64", built.getEncoding());
    }

    private static MimeMessage messageWith(MimeBodyPart part) throws MessagingException {
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(part);
        MimeMessage message = new MimeMessage((jakarta.mail.Session) null);
        message.setContent(mixed);
        message.saveChanges();
        return message;
    }
}
