package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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

/** Reads certificate revocation lists for {@link SmimeReader.Builder#crls} and {@link SmimeWriter.Builder#crls}: PEM ({@code X509 CRL}) or DER files. */
public final class Crls {

    private Crls() {
    }

    /**
     * Every CRL in the files (a PEM file may hold several).
     *
     * @throws IOException a file is missing or holds no readable CRL (the message names the file)
     */
    public static List<X509CRL> read(Collection<Path> files) throws IOException {
        List<X509CRL> result = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509").generateCRLs(in);
                if (crls.isEmpty()) {
                    throw new IOException("CRL file " + file + " holds no CRL; expected PEM (X509 CRL) or DER");
                }
                for (CRL crl : crls) {
                    result.add((X509CRL) crl);
                }
            } catch (NoSuchFileException e) {
                throw new IOException("CRL file " + file + " does not exist; check the configured path", e);
            } catch (CRLException | CertificateException e) {
                throw new IOException("CRL file " + file + " is not a readable PEM or DER CRL: " + e.getMessage(), e);
            }
        }
        return result;
    }
}
