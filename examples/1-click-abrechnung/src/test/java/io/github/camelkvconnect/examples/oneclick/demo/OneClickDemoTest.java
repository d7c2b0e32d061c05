package io.github.camelkvconnect.examples.oneclick.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo run as its users start it, in {@code --once} mode, in this JVM. */
class OneClickDemoTest {

    @TempDir
    Path dir;

    @Test
    void onceSendsASampleBillingAndEndsWhenBothAnswersAreIn() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = OneClickDemo.run(new String[] { "--once", "--data-dir", dir.toString() },
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(OneClickDemo.OK, exit, out);
        assertTrue(out.contains("--once: OK - Lieferung"), out);
    }

    @Test
    void onceWithARealServerIsRefused() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = OneClickDemo.run(new String[] { "--once", "--config", "x.properties" },
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        assertEquals(OneClickDemo.USAGE, exit);
        assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("only for the embedded emulator"));
    }
}
