package io.github.camelkvconnect.component.crypto;

import java.security.cert.X509Certificate;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

/**
 * A decrypted and verified message.
 *
 * @param businessEntity  the decrypted business MIME entity (the signed content)
 * @param headers         the message's headers (outer routing headers, completed by the signed inner ones), lower-case
 *                        names; untrusted values
 * @param signatureStatus VALID or the reason the signature check failed
 * @param signatureDetail a human-readable explanation (no key material), may be null
 * @param signerAddress   the e-mail address in the signer's certificate, may be null
 * @param signer          the signer's certificate, may be null
 */
public record ReceivedMessage(MimeMessage businessEntity, Map<String, String> headers, String signatureStatus,
                              String signatureDetail, String signerAddress, X509Certificate signer) {

    public boolean signatureValid() {
        return "VALID".equals(signatureStatus);
    }
}
