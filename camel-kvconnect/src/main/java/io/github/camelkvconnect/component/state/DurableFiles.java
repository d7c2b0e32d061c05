package io.github.camelkvconnect.component.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import io.github.camelkvconnect.component.mime.TempFiles;

/** Writes of state files that survive a crash or power loss: a reader sees the old or the new file, never a part. */
final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Replaces {@code file} by {@code content}: written to an owner-only temporary file beside it, forced to the disk,
     * renamed over it, and the rename forced too.
     */
    static void replace(Path file, String tempPrefix, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = TempFiles.create(dir, tempPrefix, ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dir);
        } finally {
            TempFiles.deleteQuietly(tmp);
        }
    }

    /** Makes a create or rename in {@code dir} durable; not every platform can open a directory for this. */
    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignore) {
            // e.g. Windows: directories cannot be opened as channels
        }
    }
}
