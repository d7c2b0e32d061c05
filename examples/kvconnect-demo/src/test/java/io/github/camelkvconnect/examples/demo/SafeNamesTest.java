package io.github.camelkvconnect.examples.demo;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names from received messages never lead outside the inbox folder or to surprising files. */
class SafeNamesTest {

    @TempDir
    Path dir;

    @Test
    void pathsAndTraversalAreCutToTheLastSegment() {
        assertEquals("passwd", SafeNames.fileName("../../etc/passwd", "x"));
        assertEquals("evil.pdf", SafeNames.fileName("..\\..\\Windows\\evil.pdf", "x"));
        assertEquals("x", SafeNames.fileName("..", "x"));
        assertEquals("x", SafeNames.fileName("../", "x"));
        assertEquals("x", SafeNames.fileName(null, "x"));
    }

    @Test
    void hiddenControlBidiAndDeviceNamesAreDefused() {
        assertEquals("bashrc", SafeNames.fileName(".bashrc", "x"));
        assertEquals("a_b.pdf", SafeNames.fileName("a\u0000b.pdf", "x"));
        assertEquals("report_fdp.exe", SafeNames.fileName("report\u202Efdp.exe", "x"));
        assertEquals("a_b.txt", SafeNames.fileName("a\r\nb.txt", "x").replace("__", "_"));
        assertEquals("_CON.txt", SafeNames.fileName("CON.txt", "x"));
        assertEquals("_nul", SafeNames.fileName("nul", "x"));
        assertEquals("Befund M\u00fcller.pdf", SafeNames.fileName("Befund Mu\u0308ller.pdf", "x"), "NFC, letters kept");
        assertEquals("name", SafeNames.fileName("name. . ", "x"), "trailing dots and blanks dropped");
    }

    @Test
    void longNamesKeepTheirExtension() {
        String name = SafeNames.fileName("a".repeat(500) + ".pdf", "x");
        assertEquals(SafeNames.MAX_LENGTH, name.length());
        assertTrue(name.endsWith(".pdf"));
    }

    @Test
    void messageIdsBecomeFolderNames() {
        assertEquals("1b4e28ba-2fa1@kv-safenet.de", SafeNames.folderName("<1b4e28ba-2fa1@kv-safenet.de>"));
        assertEquals("_.._.._etc_passwd", SafeNames.folderName("</../../etc/passwd>"));
        assertEquals("message-without-id", SafeNames.folderName("<..>"));
        assertEquals("message-without-id", SafeNames.folderName(null));
    }

    @Test
    void insideRefusesEverythingButADirectChild() {
        assertEquals(dir.resolve("a.pdf").toAbsolutePath(), SafeNames.inside(dir, "a.pdf"));
        assertThrows(IllegalArgumentException.class, () -> SafeNames.inside(dir, "../a.pdf"));
        assertThrows(IllegalArgumentException.class, () -> SafeNames.inside(dir, "sub/a.pdf"));
        assertThrows(IllegalArgumentException.class, () -> SafeNames.inside(dir, ".."));
    }
}
