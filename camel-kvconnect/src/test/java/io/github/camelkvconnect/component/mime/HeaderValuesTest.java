package io.github.camelkvconnect.component.mime;

import java.util.List;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.attachment.DefaultAttachment;
import org.junit.jupiter.api.Test;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderValuesTest {

    @Test
    void rejectsCrLfAndOtherLineBreaks() {
        for (String bad : new String[] { "Hi\r\nBcc: evil@x.de", "Hi\nX", "Hi\rX", "a\u2028b", "nul\u0000" }) {
            KvConnectInvalidHeaderException e
                    = assertThrows(KvConnectInvalidHeaderException.class, () -> HeaderValues.text("Subject", bad));
            assertTrue(e.getMessage().contains("Subject"));
        }
    }

    @Test
    void acceptsPlainAddressesOnly() throws Exception {
        assertEquals(List.of("a.b@kv-safenet.de", "c@kv-safenet.de"),
                HeaderValues.addresses("To", "a.b@kv-safenet.de, c@kv-safenet.de", true));
        for (String bad : new String[] { "Evil <a@b.de>", "no-at-sign", "a@b.de\r\nBcc: x@y.de", "*)(mail=*", "" }) {
            assertThrows(KvConnectInvalidHeaderException.class, () -> HeaderValues.addresses("To", bad, true), bad);
        }
    }

    @Test
    void messageIdsGetAngleBrackets() throws Exception {
        assertEquals("<abc@host>", HeaderValues.messageId("In-Reply-To", "abc@host"));
        assertEquals("<2065951873.0.1538133921556.JavaMail.SFagel@NB15050701TVG>", HeaderValues.messageId("In-Reply-To",
                " <2065951873.0.1538133921556.JavaMail.SFagel@NB15050701TVG> "));
        assertEquals("<x@[10.0.0.1]>", HeaderValues.messageId("In-Reply-To", "<x@[10.0.0.1]>"));
        for (String bad : new String[] { "<a b@c>", "<a@b@c>", "<a..b@c>", "<no-at-sign>", "<a@b>x>", "<a\"@b>" }) {
            assertThrows(KvConnectInvalidHeaderException.class, () -> HeaderValues.messageId("In-Reply-To", bad), bad);
        }
    }

    /** One msg-id definition: a Content-ID is carried exactly when the same value would be accepted as In-Reply-To. */
    @Test
    void contentIdAndMessageIdReferencesAgree() throws Exception {
        for (String value : new String[] { "abc@host", "<part.1@kv-safenet.de>", "<x@[10.0.0.1]>", "<a b@c>", "<a@b@c>",
                "<a..b@c>", "<no-at-sign>", "<a@b>x>", "" }) {
            boolean inReplyTo;
            try {
                inReplyTo = HeaderValues.messageId("In-Reply-To", value) != null;
            } catch (KvConnectInvalidHeaderException e) {
                inReplyTo = false;
            }
            DefaultAttachment attachment = new DefaultAttachment(new DataHandler(new ByteArrayDataSource("x", "text/plain")));
            attachment.setHeader(AttachmentHeaders.CONTENT_ID, value);
            boolean contentId = AttachmentHeaders.outbound("a.txt", attachment).containsKey(AttachmentHeaders.CONTENT_ID);
            assertEquals(inReplyTo, contentId, value);
        }
    }
}
