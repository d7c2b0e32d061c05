package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;
import io.github.camelkvconnect.component.KvConnectMissingCertificateException;
import io.github.camelkvconnect.component.rest.TrustAnchors;
import io.github.camelkvconnect.smime.CertificatePathCache;
import io.github.camelkvconnect.smime.CertificateProblemsException;
import io.github.camelkvconnect.smime.DecryptedMessage;
import io.github.camelkvconnect.smime.DecryptionFailure;
import io.github.camelkvconnect.smime.InvalidHeaderException;
import io.github.camelkvconnect.smime.RsaProviders;
import io.github.camelkvconnect.smime.SmimeCredentials;
import io.github.camelkvconnect.smime.SmimeDecryptionException;
import io.github.camelkvconnect.smime.SmimeException;
import io.github.camelkvconnect.smime.SmimeLimits;
import io.github.camelkvconnect.smime.SmimeProfile;
import io.github.camelkvconnect.smime.SmimeReader;
import io.github.camelkvconnect.smime.SmimeWriter;
import io.github.camelkvconnect.smime.VerificationResult;

/**
 * {@link MessageCrypto} on {@code camel-kvconnect-smime}: signs with the account's key from the keystore, encrypts for
 * the recipients' certificates from the server ({@code certificates?email=}, cached) and the sender's own
 * certificate, decrypts and verifies against the configured trust anchors and CRLs at the configured validation time.
 * <p>
 * Messages are written in the configured profile. Both profiles are read, the configured one's algorithm policy
 * consulted first: while practices move from KV-Connect to KIM a peer may send either, and a message in the other
 * profile would otherwise stay on the server undecryptable. With KIM configured, an AuthEnvelopedData message is held
 * to the strict KIM policy (GCM, OAEP, PSS) and an EnvelopedData message to KV-Connect's; the KV-Connect policy itself
 * also admits the KIM algorithms, so with KVCONNECT configured it reads both.
 * <p>
 * Writer and reader are built per call because the keystore may change at any time (certificate renewal) and the CRLs
 * when their files change. The certificate paths PKIX accepted are remembered across calls in the
 * {@link CertificatePathCache} passed in (the endpoint's): without it every message would validate the signer's, or the
 * recipients' and the own, path anew. The cache answers only for the same trust anchors, inside the certificates'
 * validity, and never while CRLs are configured.
 */
public final class SmimeMessageCrypto implements MessageCrypto {

    private final KvConnectConfiguration configuration;
    private final KeystoreCredentials credentials;
    private final CertificateCache certificates;
    private final RevocationLists revocationLists;
    private final Provider rsaProvider;
    private final CertificatePathCache certificatePaths;
    private final Clock clock;
    private final String accountAddress;
    private volatile List<X509Certificate> anchors;

    /**
     * @param rsaProvider the provider of the option rsaProvider, resolved once at the endpoint's start
     *                    ({@link #rsaProvider(KvConnectConfiguration)}); null: the defaults
     * @param certificatePaths remembers accepted certificate paths across messages (and restarts of the endpoint)
     */
    public SmimeMessageCrypto(KvConnectConfiguration configuration, KeystoreCredentials credentials,
                              CertificateCache certificates, RevocationLists revocationLists, Provider rsaProvider,
                              CertificatePathCache certificatePaths) {
        this(configuration, credentials, certificates, revocationLists, rsaProvider, certificatePaths, Clock.systemUTC(),
                null);
    }

    /**
     * As above, judging certificate validity and CRL currency at {@code clock}'s time (the endpoint's clock, the local
     * one: never the server's) unless the option validationTime is set.
     *
     * @param accountAddress the address the account receives at: a signed KIM inner mail must name it among its signed
     *                       recipients (surreptitious forwarding, see {@code SmimeReader.Builder.recipientAddresses});
     *                       null: not checked
     */
    public SmimeMessageCrypto(KvConnectConfiguration configuration, KeystoreCredentials credentials,
                              CertificateCache certificates, RevocationLists revocationLists, Provider rsaProvider,
                              CertificatePathCache certificatePaths, Clock clock, String accountAddress) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.accountAddress = accountAddress;
        this.configuration = configuration;
        this.credentials = credentials;
        this.certificates = certificates;
        this.revocationLists = revocationLists;
        this.rsaProvider = rsaProvider;
        this.certificatePaths = java.util.Objects.requireNonNull(certificatePaths, "certificatePaths");
    }

    @Override
    public void signAndEncrypt(OutgoingMessage message, OutputStream out)
            throws IOException, KvConnectMissingCertificateException, KvConnectInvalidHeaderException {
        SmimeWriter writer = SmimeWriter.builder()
                .profile(profile(configuration))
                .credentials(credentials.get())
                .certificateResolver(address -> {
                    Optional<X509Certificate> cert = certificates.find(address);
                    return cert.map(List::of).orElse(List.of());
                })
                .trustAnchors(anchors())
                // a recipient (or own) certificate revoked by a current CRL is unusable: nothing is encrypted to it
                .crls(revocationLists.current())
                .rsaProvider(rsaProvider)
                .pathCache(certificatePaths)
                .clock(clock)
                .build();
        try {
            writer.write(message.businessEntity(), message.routingHeaders(), message.recipients(), out);
        } catch (CertificateProblemsException e) {
            List<String> addresses = new ArrayList<>(e.problems().keySet());
            throw new KvConnectMissingCertificateException(addresses, String.join("; ", e.problems().values()));
        } catch (InvalidHeaderException e) {
            throw new KvConnectInvalidHeaderException(e.getMessage());
        } catch (SmimeException e) {
            throw new IOException("Cannot sign and encrypt the message: " + e.getMessage(), e);
        }
    }

    @Override
    public ReceivedMessage decryptAndVerify(Path transportMessage, Path messageWork)
            throws IOException, DecryptionFailedException {
        SmimeCredentials own;
        List<SmimeCredentials> all;
        try {
            all = credentials.decryptionCredentials();
            own = all.get(0); // the current key comes first
        } catch (IOException e) {
            throw new DecryptionFailedException("NO_KEY", e.getMessage(), e);
        }
        String time = configuration.getValidationTime();
        SmimeProfile preferred = profile(configuration);
        SmimeProfile other = preferred == SmimeProfile.KIM ? SmimeProfile.KVCONNECT : SmimeProfile.KIM;
        SmimeReader.Builder reader = SmimeReader.builder()
                .profiles(preferred, other)
                .credentials(own)
                // keys of earlier certificates: mail encrypted before a renewal stays readable
                .previousCredentials(all)
                .trustAnchors(anchors())
                // current CRLs (re-read when a file changed); none configured: revocation is not checked
                .crls(revocationLists.current())
                .workDirectory(messageWork)
                .rsaProvider(rsaProvider)
                .pathCache(certificatePaths)
                .clock(clock)
                // a signed KIM mail must name the account among its recipients (surreptitious forwarding)
                .recipientAddresses(accountAddress == null ? List.of() : List.of(accountAddress))
                .limits(SmimeLimits.defaults().withMaxMessageBytes(configuration.getMaxMessageSize()));
        if (time != null && !time.isBlank()) {
            reader.validationTime(Instant.parse(time.strip()));
        }
        try {
            // The decrypted entity lives in messageWork. The returned message owns it: closing it closes the file
            // behind the parsed entity and deletes the decrypted files.
            DecryptedMessage decrypted = reader.build().read(transportMessage);
            try {
                VerificationResult v = decrypted.verification();
                return new ReceivedMessage(decrypted.businessEntity(), decrypted.routingHeaders(), v.status().name(),
                        v.detail(), v.signerAddress(), v.signerCertificate().orElse(null),
                        v.layerStatuses().stream().map(Enum::name).toList(), new ContentLease(decrypted::close));
            } catch (IOException | RuntimeException e) {
                decrypted.close();
                throw e;
            }
        } catch (SmimeDecryptionException e) {
            String reason = e.reason() == DecryptionFailure.MALFORMED_MIME
                            && TransportEncryption.certainlyNotEncrypted(transportMessage)
                    ? DecryptionFailedException.NOT_ENCRYPTED : e.reason().name();
            throw new DecryptionFailedException(reason, e.getMessage(), e);
        } catch (SmimeException e) {
            throw new DecryptionFailedException("UNREADABLE", e.getMessage(), e);
        }
    }

    /**
     * The configured profile (KVCONNECT or KIM, any case).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static SmimeProfile profile(KvConnectConfiguration configuration) {
        String name = configuration.getProfile() == null ? "" : configuration.getProfile().strip().toUpperCase(Locale.ROOT);
        for (SmimeProfile p : SmimeProfile.values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown S/MIME profile '" + configuration.getProfile()
                                           + "': use profile=KVCONNECT (the KV-Connect format) or profile=KIM");
    }

    /**
     * The provider named by the option rsaProvider (default, auto, AmazonCorrettoCryptoProvider or a registered
     * provider's name); null means the JVM's providers and Bouncy Castle.
     *
     * @throws IllegalArgumentException no such provider, or ACCP named but not on the class path or unusable here
     */
    public static Provider rsaProvider(KvConnectConfiguration configuration) {
        return RsaProviders.resolve(configuration.getRsaProvider());
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
