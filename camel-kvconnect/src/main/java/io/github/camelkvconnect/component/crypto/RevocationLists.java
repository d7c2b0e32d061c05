package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectCrlException;
import io.github.camelkvconnect.smime.CrlFileException;
import io.github.camelkvconnect.smime.Crls;

/**
 * The CRLs of the option {@code crlFiles}, re-read when a file changes so that operators can drop in a current CRL
 * without a restart.
 * <p>
 * {@link #load()} (at consumer start) is strict: a missing or unreadable file fails with
 * {@link KvConnectCrlException}. Afterwards {@link #current()} compares each file's modification time and size with
 * those of the last successful read (one stat per file and message) and re-reads all files when one changed. If that
 * fails, e.g. because a file is being replaced right now, the CRLs read last stay in use and a WARN names the file; the
 * next message tries again. Dropping the check because of a broken update would silently accept revoked signers.
 */
public final class RevocationLists {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationLists.class);

    private final List<Path> files;
    private List<X509CRL> crls;
    private List<Stamp> loadedStamps;
    private List<Stamp> failedStamps;

    /** Modification time and size of a file; null values when it cannot be read. */
    private record Stamp(Object modified, long size) {
    }

    private RevocationLists(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * The CRL files of a comma-separated list ({@link Crls#paths(String)}); none for null or blank.
     *
     * @throws IllegalArgumentException an entry is not a valid path
     */
    public static RevocationLists of(String crlFiles) {
        return new RevocationLists(Crls.paths(crlFiles));
    }

    /** Whether any CRL file is configured (otherwise revocation is not checked). */
    public boolean isConfigured() {
        return !files.isEmpty();
    }

    /**
     * Reads all files.
     *
     * @throws KvConnectCrlException a file is missing or holds no readable CRL
     */
    public synchronized List<X509CRL> load() throws KvConnectCrlException {
        List<Stamp> stamps = stamps();
        crls = read();
        loadedStamps = stamps;
        failedStamps = null;
        return crls;
    }

    /**
     * The CRLs to check against now: re-read if a file changed since the last read.
     *
     * @throws KvConnectCrlException only if the files were never read successfully and cannot be read now
     */
    public synchronized List<X509CRL> current() throws KvConnectCrlException {
        if (files.isEmpty()) {
            return List.of();
        }
        if (crls == null) {
            return load();
        }
        List<Stamp> stamps = stamps();
        if (stamps.equals(loadedStamps) || stamps.equals(failedStamps)) {
            return crls;
        }
        try {
            crls = read();
            loadedStamps = stamps;
            failedStamps = null;
            LOG.info("Re-read the changed CRL files {}: {} CRL(s)", files, crls.size());
        } catch (KvConnectCrlException e) {
            // Warn once per broken state of the files, not on every message.
            failedStamps = stamps;
            LOG.warn("{} Revocation is still checked against the CRLs read before.", e.getMessage());
        }
        return crls;
    }

    private List<X509CRL> read() throws KvConnectCrlException {
        List<X509CRL> result = new ArrayList<>();
        for (Path file : files) {
            try {
                result.addAll(Crls.read(List.of(file)));
            } catch (CrlFileException e) {
                // Crls names the file and the problem
                throw new KvConnectCrlException(e.file(), e.getMessage() + " (option crlFiles). Put a current PEM or DER "
                                                          + "CRL of the CA there, or remove the file from crlFiles.", e);
            }
        }
        return List.copyOf(result);
    }

    private List<Stamp> stamps() {
        List<Stamp> result = new ArrayList<>(files.size());
        for (Path file : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                result.add(new Stamp(a.lastModifiedTime(), a.size()));
            } catch (IOException e) {
                result.add(new Stamp(null, -1));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "RevocationLists" + Objects.toString(files);
    }
}
