package io.github.camelkvconnect.emulator.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelkvconnect.emulator.EmulatorException;

/**
 * The Message-IDs each sender got accepted by {@code POST mails}, so that a repeated send of a message (a client's
 * retry after a lost answer or a crash) is recognised even after the recipients fetched and deleted the first copy.
 * The real KV-Connect server's behaviour here is not public; this is the emulator's assumption (see
 * docs/kvconnect-rest-api.md).
 * <p>
 * With a data directory each sender has a file {@code accepted-message-ids/<username>.txt}, one id per line, appended
 * and forced to the disk before the send is answered, so the memory holds across restarts. At most {@link #MAX_PER_SENDER}
 * ids are kept per sender (the oldest are forgotten; the file is compacted when it is read at start). Callers
 * serialise access (the mail store's delivery lock).
 */
final class AcceptedMessageIds {

    /** How many of a sender's newest Message-IDs are remembered. */
    static final int MAX_PER_SENDER = 100_000;

    private final Path root;
    private final int maxPerSender;
    private final Map<String, LinkedHashSet<String>> bySender = new ConcurrentHashMap<>();

    /** @param dataDir the data directory, or null for memory only */
    AcceptedMessageIds(Path dataDir, int maxPerSender) {
        this.root = dataDir == null ? null : dataDir.resolve("accepted-message-ids");
        this.maxPerSender = maxPerSender;
        if (root != null) {
            load();
        }
    }

    /** @param key the normalised Message-ID ({@link MailStore#key}) */
    boolean contains(String senderUsername, String key) {
        return ids(senderUsername).contains(key);
    }

    /** Remembers an accepted Message-ID; durable before it returns when there is a data directory. */
    void add(String senderUsername, String key) {
        LinkedHashSet<String> ids = ids(senderUsername);
        if (ids.contains(key)) {
            return;
        }
        if (root != null) {
            append(file(senderUsername), key);
        }
        ids.add(key);
        Iterator<String> oldestFirst = ids.iterator();
        for (int excess = ids.size() - maxPerSender; excess > 0; excess--) {
            oldestFirst.next();
            oldestFirst.remove();
        }
    }

    private LinkedHashSet<String> ids(String senderUsername) {
        return bySender.computeIfAbsent(senderUsername.toLowerCase(Locale.ROOT), u -> new LinkedHashSet<>());
    }

    private Path file(String senderUsername) {
        return root.resolve(senderUsername.toLowerCase(Locale.ROOT) + ".txt");
    }

    private static void append(Path file, String key) {
        try {
            Files.createDirectories(file.getParent());
            // a Message-ID that passed the header parser holds no line break; be safe against one anyway
            String line = key.replace('\r', ' ').replace('\n', ' ') + "\n";
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new EmulatorException("Cannot record the accepted Message-ID in " + file + ": " + e.getMessage(), e);
        }
    }

    private void load() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var files = Files.newDirectoryStream(root, "*.txt")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                LinkedHashSet<String> ids = ids(name.substring(0, name.length() - ".txt".length()));
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                // the last line may be cut short by a crash; it is then a Message-ID nobody sends
                for (String line : lines) {
                    if (!line.isBlank()) {
                        ids.remove(line);
                        ids.add(line);
                    }
                }
                Iterator<String> oldestFirst = ids.iterator();
                for (int excess = ids.size() - maxPerSender; excess > 0; excess--) {
                    oldestFirst.next();
                    oldestFirst.remove();
                }
                if (lines.size() > ids.size()) {
                    compact(file, ids);
                }
            }
        } catch (IOException e) {
            throw new EmulatorException("Cannot read the accepted Message-IDs in " + root + ": " + e.getMessage(), e);
        }
    }

    private static void compact(Path file, LinkedHashSet<String> ids) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        List<String> lines = new ArrayList<>(ids);
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
