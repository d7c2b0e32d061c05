package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.component.KvConnectMissingCertificateException;
import io.github.camelkvconnect.component.rest.TrustAnchors;
import io.github.camelkvconnect.smime.SmimeCredentials;

/**
 * {@link MessageCrypto} for the KV-Connect S/MIME profile: signs with the account's key from the keystore, encrypts for
 * the recipients' certificates from the server and the sender's own certificate, decrypts and verifies against the
 * configured trust anchors at the configured validation time.
 * <p>
 * Interim implementation on Bouncy Castle's CMS API ({@link SignedWriter}, {@link SignedReader}) until
 * {@code camel-kvconnect-smime} publishes its writer and reader; only this class has to change then.
 */
public final class SmimeMessageCrypto implements MessageCrypto {

    private final KvConnectConfiguration configuration;
    private final KeystoreCredentials credentials;
    private final CertificateCache certificates;
    private final Path workDirectory;
    private volatile List<X509Certificate> anchors;

    public SmimeMessageCrypto(KvConnectConfiguration configuration, KeystoreCredentials credentials,
                              CertificateCache certificates, Path workDirectory) {
        this.configuration = configuration;
        this.credentials = credentials;
        this.certificates = certificates;
        this.workDirectory = workDirectory;
    }

    @Override
    public void signAndEncrypt(OutgoingMessage message, OutputStream out)
            throws IOException, KvConnectMissingCertificateException {
        SmimeCredentials own = credentials.get();
        List<X509Certificate> recipients = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String address : message.recipients()) {
            certificates.find(address).ifPresentOrElse(recipients::add, () -> missing.add(address));
        }
        if (!missing.isEmpty()) {
            throw new KvConnectMissingCertificateException(missing, null);
        }
        // The sender must be able to read its own sent message.
        recipients.add(own.certificate());
        SignedWriter.write(message, own, recipients, workDirectory, out);
    }

    @Override
    public ReceivedMessage decryptAndVerify(Path transportMessage, Path workDirectory)
            throws IOException, DecryptionFailedException {
        SmimeCredentials own;
        try {
            own = credentials.get();
        } catch (IOException e) {
            throw new DecryptionFailedException("NO_KEY", e.getMessage(), e);
        }
        List<Path> temp = new ArrayList<>();
        String time = configuration.getValidationTime();
        return new SignedReader(own, anchors(), time == null || time.isBlank() ? null : Instant.parse(time.strip()),
                workDirectory, temp).read(transportMessage);
    }

    private List<X509Certificate> anchors() throws IOException {
        List<X509Certificate> a = anchors;
        if (a == null) {
            a = TrustAnchors.fromPem(configuration.getSmimeTrustAnchors());
            anchors = a;
        }
        return a;
    }
}
