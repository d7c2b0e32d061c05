package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * SPI: finds the encryption certificates published for an address (the KV-Connect server, a directory, a local
 * store). The writer checks every candidate and uses the first usable one.
 */
@FunctionalInterface
public interface CertificateResolver {

    /**
     * @param  address     a plain e-mail address (no display name)
     * @return             the candidate certificates, possibly empty, never null
     * @throws IOException if the source cannot be asked; the writer reports it as a problem of that address
     */
    List<X509Certificate> candidates(String address) throws IOException;
}
