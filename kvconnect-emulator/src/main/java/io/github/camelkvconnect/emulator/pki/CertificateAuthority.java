package io.github.camelkvconnect.emulator.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A CA's certificate and signing key.
 *
 * @param certificate the CA certificate
 * @param key         its private key
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal() + "]";
    }
}
