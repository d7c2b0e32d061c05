package io.github.camelkvconnect.component.mime;

import java.util.List;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.attachment.DefaultAttachment;
import org.junit.jupiter.api.Test;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertEquals("<abc@host>", HeaderValues.messageIdReference("In-Reply-To", "abc@host"));
        assertEquals("<Mime4j.0.81c65006d0c27d68.1641cd879c4>",
                HeaderValues.messageIdReference("In-Reply-To", " Mime4j.0.81c65006d0c27d68.1641cd879c4 "));
    }

    /**
     * Message-IDs real peers sent, as references (In-Reply-To, a receipt): the ids of the interop vectors (the KIM sample
     * by Apache Mime4j has no '@'), and RFC 5322's obsolete forms (quoted id-left, empty dot-atom pieces, domain literal).
     */
    @Test
    void referencesAcceptEveryIdARealPeerMaySend() throws Exception {
        for (String id : new String[] { "<Mime4j.0.81c65006d0c27d68.1641cd879c4>",
                "<2065951873.0.1538133921556.JavaMail.SFagel@NB15050701TVG>",
                "<20d63e23-68d5-4583-bc54-be5742907439@kvtg-mailer.de>", "<\"quoted.left\"@host>",
                "<\"with_\\\"escaped\\\"_quotes\"@host>", "<a..b@c.>", "<x@[10.0.0.1]>", "<a@b@c>",
                "<$1234!~%&'*+/=?^_`{|}@x>", "<" + "a".repeat(HeaderValues.MAX_MESSAGE_ID_REFERENCE - 2) + ">" }) {
            assertEquals(id, HeaderValues.messageIdReference("In-Reply-To", id), id);
        }
    }

    /** Whatever could break the header, or is not one id, is refused with a message that says what to use. */
    @Test
    void referencesRefuseInjectionAndGarbage() {
        for (String bad : new String[] { "<a@b>\r\nBcc: evil@x.de", "<a@b\nc>", "<a\u0000b>", "<a\tb>", "<a b@c>",
                "<a@b> <c@d>", "<a@b>x>", "<<a@b>", "<a<b@c>", "<>", "<", "a@b>", "<a\"@b>", "<\"a\\\">",
                "<gr\u00fc\u00dfe@host>", "<a\u2028b>", "<" + "a".repeat(HeaderValues.MAX_MESSAGE_ID_REFERENCE - 1) + ">" }) {
            KvConnectInvalidHeaderException e = assertThrows(KvConnectInvalidHeaderException.class,
                    () -> HeaderValues.messageIdReference("In-Reply-To", bad), bad);
            assertTrue(e.getMessage().contains("In-Reply-To"), e.getMessage());
        }
    }

    /**
     * A Content-ID is an identifier our users choose and other parts reference as cid: URL: it stays the strict RFC 5322
     * msg-id. An id only the lenient reference rule accepts is not carried.
     */
    @Test
    void contentIdStaysStrictWhereReferencesAreLenient() throws Exception {
        for (String value : new String[] { "abc@host", "<part.1@kv-safenet.de>", "<x@[10.0.0.1]>" }) {
            assertTrue(carriedAsContentId(value), value);
        }
        for (String value : new String[] { "<Mime4j.0.81c65006d0c27d68.1641cd879c4>", "<a..b@c>", "<a@b@c>",
                "<\"quoted\"@host>" }) {
            assertEquals(value, HeaderValues.messageIdReference("In-Reply-To", value), "a valid reference");
            assertFalse(carriedAsContentId(value), value);
        }
        for (String value : new String[] { "<a b@c>", "<a@b>x>", "" }) {
            assertFalse(carriedAsContentId(value), value);
        }
    }

    private static boolean carriedAsContentId(String value) throws Exception {
        DefaultAttachment attachment = new DefaultAttachment(new DataHandler(new ByteArrayDataSource("x", "text/plain")));
        attachment.setHeader(AttachmentHeaders.CONTENT_ID, value);
        return AttachmentHeaders.outbound("a.txt", attachment).containsKey(AttachmentHeaders.CONTENT_ID);
    }
}
