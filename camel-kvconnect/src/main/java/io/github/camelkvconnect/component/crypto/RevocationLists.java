package io.github.camelkvconnect.component.crypto;

import java.security.cert.X509CRL;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectCrlException;
import io.github.camelkvconnect.smime.CrlFileException;
import io.github.camelkvconnect.smime.CrlFiles;

/**
 * The CRLs of the option {@code crlFiles}, re-read when a file changes so that operators can drop in a current CRL
 * without a restart (the watching is {@link CrlFiles}, shared with the data format).
 * <p>
 * {@link #load()} (at consumer and producer start) is strict: a missing or unreadable file fails with
 * {@link KvConnectCrlException}. Afterwards {@link #current()} gives the CRLs as the files are now. If a changed file
 * cannot be read, e.g. because it is being replaced right now, the CRLs read last stay in use and a WARN names the
 * file (once per broken state); the next message tries again. Dropping the check because of a broken update would
 * silently accept revoked signers, and failing every message would leave the mailbox unread for a file the operator
 * is about to fix.
 */
public final class RevocationLists {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationLists.class);

    private final CrlFiles files;
    private List<X509CRL> lastReturned;
    private CrlFileException lastWarned;

    private RevocationLists(CrlFiles files) {
        this.files = files;
    }

    /**
     * The CRL files of a comma-separated list ({@link io.github.camelkvconnect.smime.Crls#paths(String)}); none for
     * null or blank.
     *
     * @throws IllegalArgumentException an entry is not a valid path
     */
    public static RevocationLists of(String crlFiles) {
        return new RevocationLists(CrlFiles.of(crlFiles));
    }

    /** Whether any CRL file is configured (otherwise revocation is not checked). */
    public boolean isConfigured() {
        return files.isConfigured();
    }

    /**
     * The CRLs; read now unless the files are unchanged since the last read.
     *
     * @throws KvConnectCrlException a file is missing or holds no readable CRL
     */
    public synchronized List<X509CRL> load() throws KvConnectCrlException {
        try {
            return remember(files.current());
        } catch (CrlFileException e) {
            throw problem(e);
        }
    }

    /**
     * The CRLs to check against now: re-read if a file changed since the last read.
     *
     * @throws KvConnectCrlException only if the files were never read successfully and cannot be read now
     */
    public synchronized List<X509CRL> current() throws KvConnectCrlException {
        try {
            return remember(files.current());
        } catch (CrlFileException e) {
            List<X509CRL> before = files.lastRead();
            if (before == null) {
                throw problem(e);
            }
            if (e != lastWarned) {
                // CrlFiles throws the same exception while the files stay broken: warn once per broken state
                lastWarned = e;
                LOG.warn("{} (option crlFiles). Revocation is still checked against the CRLs read before.", e.getMessage());
            }
            return before;
        }
    }

    private List<X509CRL> remember(List<X509CRL> crls) {
        if (lastReturned != null && crls != lastReturned) {
            LOG.info("Re-read the changed CRL files {}: {} CRL(s)", files.files(), crls.size());
        }
        lastReturned = crls;
        lastWarned = null;
        return crls;
    }

    private static KvConnectCrlException problem(CrlFileException e) {
        // the smime message names the file and the problem
        return new KvConnectCrlException(e.file(), e.getMessage() + " (option crlFiles). Put a current PEM or DER CRL "
                                                   + "of the CA there, or remove the file from crlFiles.", e);
    }

    @Override
    public String toString() {
        return "RevocationLists" + files.files();
    }
}
