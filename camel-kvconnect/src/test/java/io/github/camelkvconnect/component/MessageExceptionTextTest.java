package io.github.camelkvconnect.component;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exceptions about one received message quote its Message-ID and sender, which come from the server: their text
 * (logged by error handlers) carries no line break, while the accessors keep the raw values for matching.
 */
class MessageExceptionTextTest {

    private static final String ID = "<x@y>\r\n2026-11-29 12:00:00 ERROR forged";
    private static final String SENDER = "a@b.de\nforged";

    @Test
    void noLineBreaksInTheTextButRawAccessors() {
        List<KvConnectMessageException> all = List.of(
                new KvConnectMessageException(ID, SENDER, "Cannot process KV-Connect message " + ID, null),
                new KvConnectFetchException(ID, SENDER, new IOException("server said\r\nforged too")),
                new KvConnectDecryptionException(ID, SENDER, "NO_MATCHING_KEY", null),
                new KvConnectSignatureException(ID, SENDER, "BAD_SIGNATURE", "detail\nforged"));
        for (KvConnectMessageException e : all) {
            String text = e.getMessage();
            assertFalse(text.contains("\r") || text.contains("\n"), e.getClass().getSimpleName() + ": " + text);
            assertTrue(text.contains("<x@y>  2026-11-29 12:00:00 ERROR forged"), text);
            assertEquals(ID, e.getMessageId(), "raw, for matching with the exchange's Message-ID header");
            assertEquals(SENDER, e.getSender());
        }
    }
}
