package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The CRLs of configured files, re-read when a file changes, so that operators can drop in the CA's next CRL without a
 * restart. Shared by the data format's and the component's {@code crlFiles} options.
 * <p>
 * {@link #current()} compares each file's modification time and size with those of the last successful read (one stat
 * per file and call) and reads all files again when one differs. If that read fails (a file was removed, or is being
 * replaced right now) it throws {@link CrlFileException} naming the file: it never falls back to no CRLs, which would
 * silently accept revoked certificates. While the files stay in that state the same exception is thrown again without
 * reading them; the CRLs read before stay available through {@link #lastRead()} for a caller that prefers to go on
 * with them. Thread-safe.
 */
public final class CrlFiles {

    private final List<Path> files;
    private List<X509CRL> crls;
    private List<Stamp> readStamps;
    private List<Stamp> failedStamps;
    private CrlFileException failure;

    /**
     * Modification time, size and file key (the inode on Unix, null where the platform has none) of a file; nulls and
     * -1 when it cannot be examined. Consecutive CRLs of one CA often have the same size, and copy tools may keep the
     * old modification time, so a file replaced by a move or rename is recognised by its new file key too.
     */
    private record Stamp(FileTime modified, long size, Object fileKey) {
    }

    private CrlFiles(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * The files of a comma-separated list ({@link Crls#paths(String)}); none for null or blank.
     *
     * @throws IllegalArgumentException an entry is not a valid path
     */
    public static CrlFiles of(String commaSeparated) {
        return new CrlFiles(Crls.paths(commaSeparated));
    }

    /** The given files. */
    public static CrlFiles of(Collection<Path> files) {
        return new CrlFiles(List.copyOf(files));
    }

    public List<Path> files() {
        return files;
    }

    /** Whether any file is configured (otherwise revocation is not checked). */
    public boolean isConfigured() {
        return !files.isEmpty();
    }

    /**
     * The CRLs of the files as they are now: read at the first call and whenever a file changed since the last
     * successful read; otherwise the same list as before. No files: an empty list.
     *
     * @throws CrlFileException a file is missing, unreadable or holds no CRL (thrown again, unread, until a file changes)
     */
    public synchronized List<X509CRL> current() throws CrlFileException {
        if (files.isEmpty()) {
            return List.of();
        }
        // stat before reading: a change during the read shows as a changed stamp at the next call
        List<Stamp> stamps = stamps();
        if (crls != null && stamps.equals(readStamps)) {
            return crls;
        }
        if (failure != null && stamps.equals(failedStamps)) {
            // a new exception each time: callers may attach suppressed exceptions or rethrow it concurrently
            throw new CrlFileException(failure.file(), failure.getMessage(), failure.getCause());
        }
        try {
            crls = List.copyOf(Crls.read(files));
            readStamps = stamps;
            failedStamps = null;
            failure = null;
            return crls;
        } catch (CrlFileException e) {
            failedStamps = stamps;
            failure = e;
            throw e;
        }
    }

    /** The CRLs of the last successful read; null if the files were never read successfully. */
    public synchronized List<X509CRL> lastRead() {
        return crls;
    }

    private List<Stamp> stamps() {
        List<Stamp> result = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                result.add(new Stamp(a.lastModifiedTime(), a.size(), a.fileKey()));
            } catch (IOException e) {
                result.add(new Stamp(null, -1, null));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "CrlFiles" + files;
    }
}
