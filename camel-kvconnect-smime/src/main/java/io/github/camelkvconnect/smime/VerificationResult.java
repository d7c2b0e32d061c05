package io.github.camelkvconnect.smime;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The verification outcome of a received message.
 *
 * @param status        VALID or the reason
 * @param signerAddress the e-mail address in the signer certificate (SAN rfc822Name or subject emailAddress), or null
 * @param signer        the signer certificate, or null if there was none
 * @param detail        a human-readable explanation without secrets, or null when VALID
 */
public record VerificationResult(VerificationStatus status, String signerAddress, X509Certificate signer, String detail) {

    public boolean isValid() {
        return status == VerificationStatus.VALID;
    }

    public Optional<X509Certificate> signerCertificate() {
        return Optional.ofNullable(signer);
    }

    static VerificationResult of(VerificationStatus status, String detail) {
        return new VerificationResult(status, null, null, detail);
    }
}
