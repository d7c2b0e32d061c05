package io.github.camelkvconnect.component.mime;

import java.util.List;

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
        assertThrows(KvConnectInvalidHeaderException.class, () -> HeaderValues.messageId("In-Reply-To", "<a b@c>"));
    }
}
