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
 * <p>
 * Every line is one line: control and format characters in what is printed (outbox file names, addresses,
 * Message-IDs, exception messages: all can come from outside) are replaced by {@code ?} ({@link Printable}).
 */
final class Console {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream out;

    Console(PrintStream out) {
        this.out = out;
    }

    /** A time-stamped event line; the arguments other than numbers are printed as {@link Printable} text. */
    void event(String format, Object... args) {
        Object[] printable = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            printable[i] = args[i] instanceof Number ? args[i] : Printable.of(args[i]);
        }
        line(TIME.format(LocalTime.now()) + "  " + String.format(format, printable));
    }

    /** A line without time stamp (banners, summaries), printed as {@link Printable} text. */
    void line(String text) {
        synchronized (out) {
            out.println(Printable.of(text));
            out.flush();
        }
    }

    /** Lines of the demo's own multi-line text (the usage), each printed with {@link #line}. */
    void lines(String text) {
        text.lines().forEach(this::line);
    }
}
