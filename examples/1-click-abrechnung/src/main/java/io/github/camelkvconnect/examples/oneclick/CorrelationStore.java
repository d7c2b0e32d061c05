package io.github.camelkvconnect.examples.oneclick;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The correlation store: one folder per Lieferung, named by its GUID, with {@code status.json}
 * ({@link LieferungStatus}). A Rueckmeldung is found by the GUID in its Begleitdatei (a direct look-up), an
 * Eingangsbestaetigung by the Message-ID it answers (a scan of the status files: a practice sends a handful of
 * Lieferungen per quarter).
 * <p>
 * Why plain JSON files and not Camel's file idempotent repository: that repository remembers keys only, while the
 * correlation needs a record per Lieferung (GUID, Message-ID, file, answers) that is updated as answers arrive and
 * that a person can read. Every write goes to a temporary file first and is then moved over the old one, so a crash
 * never leaves half a file. Updates are serialised within the JVM; run one practice process per directory.
 */
public final class CorrelationStore {

    static final String STATUS_FILE = "status.json";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param root the {@code lieferungen/} folder */
    public CorrelationStore(Path root) {
        this.root = root;
    }

    /**
     * The folder of a Lieferung. The GUID must have the GUID form (it may come from a received message and must not
     * name another path).
     */
    public Path folder(String guid) {
        if (!Begleitdatei.isGuid(guid)) {
            throw new IllegalArgumentException("Not a GUID: " + guid);
        }
        return root.resolve(guid.toLowerCase(Locale.ROOT));
    }

    /** Records a new Lieferung (before it is sent, so that an early answer finds it). */
    public synchronized void create(LieferungStatus status) throws IOException {
        Path folder = folder(status.guid());
        Files.createDirectories(folder);
        write(folder.resolve(STATUS_FILE), status);
    }

    public synchronized Optional<LieferungStatus> byGuid(String guid) throws IOException {
        if (!Begleitdatei.isGuid(guid)) {
            return Optional.empty();
        }
        Path file = folder(guid).resolve(STATUS_FILE);
        return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /** The Lieferung that was sent with this Message-ID ({@code <...>} or without the angle brackets). */
    public synchronized Optional<LieferungStatus> byMessageId(String messageId) throws IOException {
        String wanted = MessageIds.normalise(messageId);
        if (wanted == null || !Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                Path file = folder.resolve(STATUS_FILE);
                if (Files.isRegularFile(file)) {
                    LieferungStatus status = read(file);
                    if (wanted.equals(MessageIds.normalise(status.messageId()))) {
                        return Optional.of(status);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Every recorded Lieferung. */
    public synchronized List<LieferungStatus> all() throws IOException {
        List<LieferungStatus> all = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> folders = Files.list(root)) {
                for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                    Path file = folder.resolve(STATUS_FILE);
                    if (Files.isRegularFile(file)) {
                        all.add(read(file));
                    }
                }
            }
        }
        return all;
    }

    /** Reads, changes and writes back the status of a Lieferung. */
    public synchronized LieferungStatus update(String guid, UnaryOperator<LieferungStatus> change) throws IOException {
        Path file = folder(guid).resolve(STATUS_FILE);
        LieferungStatus updated = change.apply(read(file));
        write(file, updated);
        return updated;
    }

    private LieferungStatus read(Path file) throws IOException {
        return json.readValue(file.toFile(), LieferungStatus.class);
    }

    private void write(Path file, LieferungStatus status) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".status-", ".tmp");
        try {
            json.writeValue(tmp.toFile(), status);
            moveOver(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces the target in one step where the file system can (then readers never see half a file). */
    static void moveOver(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
