package io.github.camelkvconnect.component.crypto;

import java.io.Closeable;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

/**
 * A decrypted and verified message. It owns the resources behind its business entity (an open stream on the decrypted
 * temporary file): whoever receives it must {@link #close()} it once the entity is no longer read, on success and on
 * every failure path.
 *
 * @param businessEntity  the decrypted business MIME entity (the signed content)
 * @param headers         the message's headers (outer routing headers, completed by the signed inner ones), lower-case
 *                        names; untrusted values
 * @param signatureStatus VALID or the reason the signature check failed: the worst over all layers
 * @param signatureDetail a human-readable explanation (no key material), may be null
 * @param signerAddress   the e-mail address in the signer's certificate, may be null
 * @param signer          the signer's certificate, may be null
 * @param signatureLayers the status of every layer of the message, outermost first (VerificationStatus names)
 * @param content         the lease on the file handles behind {@code businessEntity}; closed by {@link #close()}
 */
public record ReceivedMessage(MimeMessage businessEntity, Map<String, String> headers, String signatureStatus,
                              String signatureDetail, String signerAddress, X509Certificate signer,
                              List<String> signatureLayers, ContentLease content)
        implements Closeable {

    public ReceivedMessage {
        signatureLayers = List.copyOf(signatureLayers);
    }

    /** A message of one layer, whose status is {@code signatureStatus}. */
    public ReceivedMessage(MimeMessage businessEntity, Map<String, String> headers, String signatureStatus,
                           String signatureDetail, String signerAddress, X509Certificate signer, ContentLease content) {
        this(businessEntity, headers, signatureStatus, signatureDetail, signerAddress, signer, List.of(signatureStatus),
                content);
    }

    /** A message that holds no resources (e.g. an entity in memory). */
    public ReceivedMessage(MimeMessage businessEntity, Map<String, String> headers, String signatureStatus,
                           String signatureDetail, String signerAddress, X509Certificate signer) {
        this(businessEntity, headers, signatureStatus, signatureDetail, signerAddress, signer, ContentLease.none());
    }

    public boolean signatureValid() {
        return "VALID".equals(signatureStatus);
    }

    /** Closes the streams on the decrypted content; the entity cannot be read afterwards. Idempotent. */
    @Override
    public void close() throws IOException {
        content.close();
    }
}
