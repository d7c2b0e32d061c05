package io.github.camelkvconnect.component.rest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The display form of server-supplied header values: what logs and exception messages show, so that a server cannot
 * forge log lines with line breaks in a Message-ID or From. The raw accessors stay unchanged for the REST calls.
 */
class MailHeaderDisplayTest {

    @Test
    void lineBreaksAndOtherControlsBecomeSpaces() {
        assertEquals("<a@b>  forged: line", MailHeader.display("<a@b>\r\nforged: line"));
        assertEquals("a b c d e", MailHeader.display("a\u0000b\u001bc\u007fd\u0008e"));
        // the Unicode line breaks some log viewers honour
        assertEquals("a b c d", MailHeader.display("a\u0085b\u2028c\u2029d"));
    }

    @Test
    void ordinaryValuesAndNullPassUnchanged() {
        String id = "<3f6c1d2e-\u00e4\u00f6\u00fc\tx@kv-safenet.de>";
        assertSame(id, MailHeader.display(id));
        assertNull(MailHeader.display(null));
    }

    @Test
    void rawAccessorsKeepTheServersValueAndDisplayFormsDoNot() throws Exception {
        // XML character references are how a header list can carry CR/LF at all
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><headers><header>"
                      + "<message-id>&lt;x@y&gt;&#13;&#10;2026-11-29 12:00:00 INFO forged</message-id>"
                      + "<from>a@b.de&#10;forged</from></header></headers>";
        List<MailHeader> headers = KvConnectRestClient.parseHeaders(
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        MailHeader header = headers.get(0);
        assertEquals("<x@y>\r\n2026-11-29 12:00:00 INFO forged", header.messageId(), "raw: fetch and delete use it");
        assertEquals("<x@y>  2026-11-29 12:00:00 INFO forged", header.displayMessageId());
        assertEquals("a@b.de\nforged", header.from());
        assertEquals("a@b.de forged", header.displayFrom());
        assertNull(new MailHeader(Map.of()).displayFrom());
    }
}
