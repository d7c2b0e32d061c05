package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;
import io.github.camelkvconnect.component.KvConnectMissingCertificateException;

/**
 * The S/MIME operations the component needs, behind one small seam: the producer signs and encrypts, the consumer
 * decrypts and verifies. The implementation ({@link SmimeMessageCrypto}) delegates to {@code camel-kvconnect-smime}.
 */
public interface MessageCrypto {

    /**
     * Signs the business MIME entity with the account's key, encrypts it for every recipient and the sender, and writes
     * the complete transport message (clear routing headers + S/MIME body) to {@code out}.
     *
     * @throws KvConnectMissingCertificateException if a recipient certificate (or the sender's own) is missing or unusable
     * @throws KvConnectInvalidHeaderException      if a routing header is not acceptable
     */
    void signAndEncrypt(OutgoingMessage message, OutputStream out)
            throws IOException, KvConnectMissingCertificateException, KvConnectInvalidHeaderException;

    /**
     * Decrypts and verifies a transport message read from {@code transportMessage}.
     *
     * @param  workDirectory          where temporary files for large content may be created
     * @throws DecryptionFailedException if the message cannot be decrypted (any reason, reported uniformly)
     */
    ReceivedMessage decryptAndVerify(Path transportMessage, Path workDirectory) throws IOException, DecryptionFailedException;
}
