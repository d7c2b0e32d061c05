package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

import io.github.camelkvconnect.component.KvConnectConfiguration;

/** {@link MessageCrypto} on top of {@code camel-kvconnect-smime}. */
public final class SmimeMessageCrypto implements MessageCrypto {

    private final KvConnectConfiguration configuration;
    private final KeystoreCredentials credentials;
    private final CertificateCache certificates;
    private final String address;

    public SmimeMessageCrypto(KvConnectConfiguration configuration, KeystoreCredentials credentials,
                              CertificateCache certificates, String address) {
        this.configuration = configuration;
        this.credentials = credentials;
        this.certificates = certificates;
        this.address = address;
    }

    @Override
    public void signAndEncrypt(OutgoingMessage message, OutputStream out) throws IOException {
        throw new UnsupportedOperationException("S/MIME layer not integrated yet");
    }

    @Override
    public ReceivedMessage decryptAndVerify(Path transportMessage, Path workDirectory) throws IOException {
        throw new UnsupportedOperationException("S/MIME layer not integrated yet");
    }
}
