package io.github.camelkvconnect.component.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The log lines written while it is open. The tests log with slf4j-simple, which looks up {@code System.err} for every
 * line: this replaces it with a stream that copies to the original (the build output keeps the lines) and to a buffer.
 * Close it to restore {@code System.err}.
 */
public final class CapturedLog implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog() {
        this.original = System.err;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                captured.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** The captured lines that match, in order. */
    public List<String> lines(Predicate<String> matching) {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        return Arrays.stream(text.split("\n")).filter(matching).toList();
    }

    /** Lines of one level ({@code WARN}, {@code ERROR}, ...) of the component's consumer that contain {@code text}. */
    public List<String> consumerLines(String level, String text) {
        return lines(l -> l.contains("] " + level + " io.github.camelkvconnect.component.KvConnectConsumer - ")
                          && l.contains(text));
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
