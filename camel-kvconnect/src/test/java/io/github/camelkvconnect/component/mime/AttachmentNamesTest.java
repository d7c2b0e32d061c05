package io.github.camelkvconnect.component.mime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttachmentNamesTest {

    @Test
    void stripsDirectoriesControlAndBidiCharacters() {
        assertEquals("x", AttachmentNames.safe("../../etc/cron.d/x"));
        assertEquals("x", AttachmentNames.safe("C:\\..\\x"));
        assertEquals("a_b", AttachmentNames.safe("a\u0000b"));
        assertEquals("evil_fdp.exe", AttachmentNames.safe("evil\u202efdp.exe"));
        assertEquals("attachment", AttachmentNames.safe("/"));
        assertEquals("hidden", AttachmentNames.safe(".hidden"));
        assertTrue(AttachmentNames.safe("a".repeat(10_000)).length() <= 200);
    }
}
