package io.github.camelkvconnect.examples.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The demo's user interface: short, time-stamped lines on standard output saying what happened and where the files
 * are. Library log output (warnings and errors only) goes to standard error through SLF4J, so the two do not mix.
 * <p>
 * Never print decrypted content here (attachment names, body text): only transport metadata that travels in clear
 * (addresses, Message-IDs, Dienstkennung) and local paths.
 */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;

    Console(PrintStream out) {
        this.out = out;
    }

    /** A time-stamped event line. */
    void event(String format, Object... args) {
        line(TIME.format(LocalTime.now()) + "  " + String.format(format, args));
    }

    /** A line without time stamp (banners, summaries). */
    void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
