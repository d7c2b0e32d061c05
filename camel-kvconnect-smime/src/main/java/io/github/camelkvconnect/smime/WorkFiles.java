package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The intermediate layers of one read: in memory for a small message, else owner-only temporary files that are
 * tracked here so that every one of them is deleted when the read fails or its layer is no longer needed.
 */
final class WorkFiles {

    private final Path directory;
    private final boolean inMemory;
    private final List<Path> temp = new ArrayList<>();

    WorkFiles(Path directory, boolean inMemory) {
        this.directory = directory;
        this.inMemory = inMemory;
    }

    Path directory() {
        return directory;
    }

    /** A new owner-only temporary file, deleted with the others unless {@link #release released}. */
    Path newTemp(String prefix) throws IOException {
        Path p = TempFiles.create(directory, prefix);
        temp.add(p);
        return p;
    }

    /** Where the next intermediate layer goes: memory for a small message, else an owner-only temporary file. */
    Layer.Target newLayer(String prefix) throws IOException {
        return inMemory ? Layer.memory() : Layer.file(newTemp(prefix));
    }

    void discard(Path p) {
        if (temp.remove(p)) {
            TempFiles.deleteQuietly(p);
        }
    }

    void discard(Layer layer) {
        if (layer instanceof Layer.InFile f) {
            discard(f.file());
        }
    }

    /** Discards a layer unless it is the caller's transport file (never deleted). */
    void discardUnlessTransport(Layer layer, Path transport) {
        if (layer instanceof Layer.InFile f && !f.file().equals(transport)) {
            discard(f.file());
        }
    }

    /** True if the file is one of this read's temporary files. */
    boolean owns(Path p) {
        return temp.contains(p);
    }

    /** Stops tracking a file without deleting it (its new owner deletes it). */
    void release(Path p) {
        temp.remove(p);
    }

    /** Deletes every tracked temporary file. */
    void deleteAll() {
        temp.forEach(TempFiles::deleteQuietly);
        temp.clear();
    }
}
