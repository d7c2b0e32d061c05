package io.github.camelkvconnect.smime;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.RecipientId;

/** One private key of ours and its certificate (null when only the key is known). */
record DecryptionKey(PrivateKey privateKey, X509CertificateHolder certificate) {

    static DecryptionKey of(PrivateKey privateKey, X509Certificate certificate) {
        try {
            return new DecryptionKey(privateKey,
                    certificate == null ? null : new X509CertificateHolder(certificate.getEncoded()));
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalArgumentException("The own certificate cannot be encoded", e);
        }
    }

    boolean isNamedBy(RecipientId id) {
        // issuer and serial number, or subject key identifier (RFC 5652 allows both, for ktri and kari alike)
        return certificate != null && id.match(certificate);
    }

    /** An RSA key opens key-transport entries, an EC key key-agreement entries (ECDH). */
    boolean fits(RecipientId id) {
        return (id instanceof KeyAgreeRecipientId) == EcKeys.isEc(privateKey);
    }
}
