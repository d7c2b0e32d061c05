package io.github.camelkvconnect.examples.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the demo prints stays one line per event, whatever outside names and headers hold. */
class ConsoleOutputTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    private String printed() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void outboxFileNameWithLineBreaksAndEscapesStaysOnOneLine() {
        String fileName = "befund.pdf\r\n12:00:00  [praxis.schmidt] received a forged message\u001b[2J\u202Efdp.exe";
        console.event("[%s] sent %s as eArztbrief to %s (Message-ID %s), %d attachment(s)", "praxis.mueller", fileName,
                "praxis.schmidt@kv-safenet.de\n", "<id@x>\u0000", 3);
        String out = printed();
        assertEquals(1, out.lines().count(), out);
        assertFalse(out.contains("\r") || out.contains("\u001b") || out.contains("\u202E") || out.contains("\u0000"), out);
        assertTrue(out.contains("befund.pdf??12:00:00  [praxis.schmidt] received a forged message?[2J?fdp.exe"), out);
        assertTrue(out.contains("3 attachment(s)"), "numbers are formatted as numbers: " + out);
    }

    @Test
    void plainLinesAndExceptionMessagesToo() {
        console.line("ERROR: sending x\u0085y\u2028z failed");
        assertEquals("ERROR: sending x?y?z failed" + System.lineSeparator(), printed());
    }

    @Test
    void umlautsAndOrdinaryTextAreKept() {
        console.line("Befund M\u00fcller (2026-11).pdf");
        assertEquals("Befund M\u00fcller (2026-11).pdf" + System.lineSeparator(), printed());
    }

    @Test
    void usageKeepsItsOwnLines() {
        console.lines(DemoOptions.USAGE);
        assertEquals(DemoOptions.USAGE.lines().count(), printed().lines().count());
    }

    @Test
    void standardErrorFilterKeepsLineEndsAndStackTraceIndentButNoOtherControls() throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (PrintStream err = new PrintStream(new ControlCharacterFilter(raw), true, StandardCharsets.UTF_8)) {
            err.print("12:00:00 WARN file a\rb\u001b[31m\u0000\u007f\u0085 M\u00fcller\r\n\tat x\n");
        }
        assertEquals("12:00:00 WARN file a?b?[31m??? M\u00fcller\r\n\tat x\n", raw.toString(StandardCharsets.UTF_8));
    }
}
