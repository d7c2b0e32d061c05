package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;


/**
 * The default idempotent repository of the consumer: which messages were delivered (so that a failed or interrupted
 * delete on the server never leads to a second delivery). One key per line in a file, the same format as Camel's
 * {@code FileIdempotentRepository}, but durable:
 * <ul>
 * <li>{@link #add} appends the key and forces it to the disk before it returns, so a record the consumer relies on
 * (it deletes the message on the server only afterwards) survives a crash or power loss. A line cut short by a crash
 * is ignored when the file is read; its message had not been deleted yet and is delivered again (at least once,
 * never lost).</li>
 * <li>the file is compacted to the newest {@code maxEntries} keys once it holds twice as many, by writing a new file
 * next to it, forcing it to the disk and renaming it over the old one: the old file stays complete until the
 * rename.</li>
 * </ul>
 * Keys are escaped ({@code \}, CR, LF) so that a Message-ID cannot split a record into two.
 */
public final class DeliveredRecords extends ServiceSupport implements IdempotentRepository {

    private final Path file;
    private final int maxEntries;
    private final LinkedHashSet<String> keys = new LinkedHashSet<>();
    private FileChannel appender;

    /** @param maxEntries how many of the newest keys to keep (older ones belong to messages long deleted) */
    public DeliveredRecords(Path file, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.file = file;
        this.maxEntries = maxEntries;
    }

    public Path getFile() {
        return file;
    }

    @Override
    protected synchronized void doStart() throws Exception {
        keys.clear();
        if (Files.exists(file)) {
            byte[] content = Files.readAllBytes(file);
            int start = 0;
            for (int i = 0; i < content.length; i++) {
                if (content[i] == '\n') {
                    keys.add(unescape(new String(content, start, i - start, StandardCharsets.UTF_8)));
                    start = i + 1;
                }
            }
            // bytes after the last newline: an append cut short by a crash, not a record
            trimToNewest();
        }
        rewrite();
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    @Override
    public synchronized boolean add(String key) {
        if (keys.contains(key)) {
            return false;
        }
        try {
            ByteBuffer line = ByteBuffer.wrap((escape(key) + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                appender.write(line);
            }
            appender.force(false);
            keys.add(key);
            if (keys.size() >= 2 * maxEntries) {
                trimToNewest();
                rewrite();
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the delivered message in " + file
                                           + "; it is not deleted on the server and will be delivered again", e);
        }
    }

    @Override
    public synchronized boolean contains(String key) {
        return keys.contains(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        if (!keys.remove(key)) {
            return false;
        }
        try {
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rewrite " + file, e);
        }
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        keys.clear();
        try {
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rewrite " + file, e);
        }
    }

    private void trimToNewest() {
        Iterator<String> oldestFirst = keys.iterator();
        for (int excess = keys.size() - maxEntries; excess > 0; excess--) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    /** Replaces the file by one holding exactly the current keys (temp file, force, atomic rename) and appends there. */
    private void rewrite() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        List<String> lines = new ArrayList<>(keys.size());
        for (String k : keys) {
            lines.add(escape(k));
        }
        DurableFiles.replace(file, ".delivered-", lines.isEmpty() ? new byte[0]
                : (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        appender = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }


    static String escape(String key) {
        if (key.indexOf('\\') < 0 && key.indexOf('\n') < 0 && key.indexOf('\r') < 0) {
            return key;
        }
        return key.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String line) {
        if (line.indexOf('\\') < 0) {
            return line;
        }
        StringBuilder sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
