package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads certificate revocation lists for {@link SmimeReader.Builder#crls} and {@link SmimeWriter.Builder#crls}: PEM
 * ({@code X509 CRL}) or DER files, named in a comma-separated list ({@link #paths(String)}, the syntax of every
 * {@code crlFiles} option).
 */
public final class Crls {

    private Crls() {
    }

    /**
     * The files of a comma-separated list. Each entry is stripped of surrounding white space; empty entries (two commas
     * in a row, a trailing comma, blanks) are skipped. Null, empty or blank: no files (revocation is not checked).
     *
     * @throws IllegalArgumentException an entry is not a valid path on this system (the message names it)
     */
    public static List<Path> paths(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        List<Path> result = new ArrayList<>();
        for (String entry : commaSeparated.split(",")) {
            String file = entry.strip();
            if (file.isEmpty()) {
                continue;
            }
            try {
                result.add(Path.of(file));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + file + "' in the CRL file list is not a valid path: "
                                                   + e.getReason(), e);
            }
        }
        return List.copyOf(result);
    }

    /**
     * Every CRL in the files (a PEM file may hold several).
     *
     * @throws CrlFileException a file is missing, cannot be read or holds no readable CRL (the message names the file)
     */
    public static List<X509CRL> read(Collection<Path> files) throws CrlFileException {
        List<X509CRL> result = new ArrayList<>();
        for (Path file : files) {
            byte[] content;
            try {
                // read first, then parse: the parser reports read errors (a directory, ...) as unparsable content
                content = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new CrlFileException(file, "CRL file " + file + " does not exist; check the configured path", e);
            } catch (IOException e) {
                throw unreadable(file, e);
            }
            try {
                Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509")
                        .generateCRLs(new ByteArrayInputStream(content));
                if (crls.isEmpty()) {
                    throw new CrlFileException(file, "CRL file " + file + " holds no CRL; expected PEM (X509 CRL) or DER",
                            null);
                }
                for (CRL crl : crls) {
                    result.add((X509CRL) crl);
                }
            } catch (CRLException | CertificateException e) {
                throw new CrlFileException(file, "CRL file " + file + " is not a readable PEM or DER CRL: "
                                                 + e.getMessage(), e);
            }
        }
        return result;
    }

    /** Access denied, a directory, ...: the exception's own message may be just the path. */
    private static CrlFileException unreadable(Path file, IOException e) {
        return new CrlFileException(file, "CRL file " + file + " cannot be read (" + e.getClass().getSimpleName()
                                          + (e.getMessage() != null && !e.getMessage().contains(file.toString())
                                                  ? ": " + e.getMessage() : "")
                                          + "); check that it is a file readable by this process", e);
    }
}
