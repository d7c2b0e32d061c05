package io.github.camelkvconnect.component;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

import io.github.camelkvconnect.component.crypto.CertificateCache;
import io.github.camelkvconnect.component.crypto.KeystoreCredentials;
import io.github.camelkvconnect.component.crypto.MessageCrypto;
import io.github.camelkvconnect.component.crypto.RevocationLists;
import io.github.camelkvconnect.component.crypto.SmimeMessageCrypto;
import io.github.camelkvconnect.component.rest.AccountInfo;
import io.github.camelkvconnect.component.rest.ClockSkew;
import io.github.camelkvconnect.component.rest.KvConnectRestClient;
import io.github.camelkvconnect.component.rest.RestAuthentication;
import io.github.camelkvconnect.component.rest.TrustAnchors;
import io.github.camelkvconnect.component.state.SendLedger;
import io.github.camelkvconnect.component.state.WorkDirectories;
import io.github.camelkvconnect.smime.CertificatePathCache;
import io.github.camelkvconnect.smime.UnsuitableRsaProviderException;

/**
 * Send and receive end-to-end encrypted KV-Connect messages (S/MIME over the KV-Connect Server REST interface), search
 * the KV-Connect directory and manage the account's certificate.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "kvconnect", title = "KV-Connect", syntax = "kvconnect:address",
             category = { Category.MAIL, Category.SECURITY, Category.HEALTH }, headersClass = KvConnectConstants.class)
@ManagedResource(description = "KV-Connect endpoint")
public class KvConnectEndpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    @UriPath(description = "The KV-Connect address of the account, e.g. praxis.mueller@kv-safenet.de")
    @Metadata(required = true)
    private String address;

    @UriParam
    private KvConnectConfiguration configuration;

    @UriParam(label = "consumer", defaultValue = "20")
    private int maxMessagesPerPoll = 20;

    @UriParam(label = "advanced", defaultValue = "300000")
    private long maxClockSkew = ClockSkew.DEFAULT_THRESHOLD.toMillis();

    private final KvConnectStatistics statistics = new KvConnectStatistics();
    /**
     * Certificate paths PKIX accepted, across messages and restarts: the crypto builds a reader or writer per message.
     * Keyed by the trust anchors, so a restart with other smimeTrustAnchors validates anew.
     */
    private final CertificatePathCache certificatePaths = new CertificatePathCache();
    private Clock clock = Clock.systemUTC();

    private KvConnectRestClient restClient;
    private KeystoreCredentials credentials;
    private CertificateCache certificateCache;
    private MessageCrypto crypto;
    private RevocationLists revocationLists;
    private java.security.Provider rsaProvider;
    private volatile String accountUid;
    private WorkDirectories.Owned sendWork;
    private SendLedger sendLedger;

    /** Default of Camel's backoffErrorThreshold for this component: back off from the first failed poll. */
    static final int DEFAULT_BACKOFF_ERROR_THRESHOLD = 1;
    /** Default of Camel's backoffMultiplier for this component: during an outage about one scheduled poll in five runs. */
    static final int DEFAULT_BACKOFF_MULTIPLIER = 5;

    public KvConnectEndpoint(String uri, KvConnectComponent component, KvConnectConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        // A server that is down should not be polled at full speed. Set before the URI options are applied, so that
        // backoffErrorThreshold/backoffMultiplier in the URI override them (backoffMultiplier=0 switches backoff off).
        setBackoffErrorThreshold(DEFAULT_BACKOFF_ERROR_THRESHOLD);
        setBackoffMultiplier(DEFAULT_BACKOFF_MULTIPLIER);
    }

    @Override
    public KvConnectComponent getComponent() {
        return (KvConnectComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new KvConnectProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        KvConnectConsumer consumer = new KvConnectConsumer(this, processor);
        configureConsumer(consumer);
        consumer.setMaxMessagesPerPoll(maxMessagesPerPoll);
        return consumer;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        KvConnectConfiguration c = configuration;
        if (c.getServerUrl() == null || c.getServerUrl().isBlank()) {
            throw new IllegalArgumentException("kvconnect:" + address + ": the option serverUrl is required");
        }
        URI base = URI.create(c.getServerUrl());
        if (!"https".equalsIgnoreCase(base.getScheme())) {
            throw new IllegalArgumentException("kvconnect:" + address + ": serverUrl must be an https:// URL; KV-Connect "
                                               + "credentials and messages never travel over plain HTTP");
        }
        if (c.getUsername() == null || c.getPassword() == null) {
            throw new IllegalArgumentException("kvconnect:" + address + ": the options username and password are required");
        }
        try {
            SmimeMessageCrypto.profile(c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kvconnect:" + address + ": " + e.getMessage(), e);
        }
        java.security.Provider rsa;
        try {
            // resolved once: an unknown name, or a provider without the RSA services used, fails here, not on the
            // first message
            rsa = SmimeMessageCrypto.rsaProvider(c);
        } catch (UnsuitableRsaProviderException e) {
            throw new UnsuitableRsaProviderException(e.providerName(), e.missingService(),
                    "kvconnect:" + address + ": option " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kvconnect:" + address + ": option " + e.getMessage(), e);
        }
        if (c.getValidationTime() != null && !c.getValidationTime().isBlank()) {
            try {
                Instant.parse(c.getValidationTime().strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("kvconnect:" + address + ": validationTime must be an ISO-8601 instant such "
                                                   + "as 2018-09-28T11:25:29Z, not '" + c.getValidationTime() + "'");
            }
        }
        SSLContext ssl = TrustAnchors.sslContext(c.getTlsTrustAnchors(), c.getTruststoreFile(),
                c.getTruststorePassword() == null ? null : c.getTruststorePassword().toCharArray(), c.getTruststoreType());
        RestAuthentication auth = c.getAuthMethod() == AuthMethod.token
                ? RestAuthentication.token(c.getUsername(), c.getPassword().toCharArray(), clock)
                : RestAuthentication.basic(c.getUsername(), c.getPassword().toCharArray());
        restClient = new KvConnectRestClient(base, c.getUsername(), auth, ssl, Duration.ofMillis(c.getConnectTimeout()),
                Duration.ofMillis(c.getReadTimeout()), new ClockSkew(clock, Duration.ofMillis(maxClockSkew), base.getHost()));
        credentials = new KeystoreCredentials(c.getKeystoreFile() == null ? null : Path.of(c.getKeystoreFile()),
                c.getKeystorePassword() == null ? null : c.getKeystorePassword().toCharArray());
        certificateCache = new CertificateCache(restClient, Duration.ofMillis(c.getCertificateCacheTtl()), clock);
        // Read by the consumer and the producer at their start: signatures and recipients are checked against them.
        try {
            revocationLists = RevocationLists.of(c.getCrlFiles());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kvconnect:" + address + ": option crlFiles: " + e.getMessage(), e);
        }
        rsaProvider = rsa;
        crypto = new SmimeMessageCrypto(c, credentials, certificateCache, revocationLists, rsa, certificatePaths, clock,
                address);
    }

    /**
     * The provider of the option rsaProvider, resolved at the start; null: the JVM's providers and Bouncy Castle. Not
     * used by the component itself (the crypto gets the provider directly): RsaProviderTest reads it to prove which
     * provider {@code auto} picked.
     */
    java.security.Provider rsaProvider() {
        return rsaProvider;
    }

    /** The certificate paths accepted so far (for tests). */
    CertificatePathCache certificatePaths() {
        return certificatePaths;
    }

    /** The CRLs of the option crlFiles; consumer and producer load them at their start. */
    RevocationLists revocationLists() {
        return revocationLists;
    }

    /** The account uid on the server, resolved once via {@code login/{username}}. */
    String accountUid() throws java.io.IOException {
        String uid = accountUid;
        if (uid == null) {
            AccountInfo info = restClient.login();
            uid = info.uid();
            accountUid = uid;
        }
        return uid;
    }

    /** For the health check: the server version (reachability without credentials). */
    public String healthServerVersion() throws java.io.IOException {
        return restClient.serverVersion();
    }

    /** For the health check: verifies the credentials. */
    public void healthLogin() throws java.io.IOException {
        accountUid = restClient.login().uid();
    }

    /** For the health check: the own credentials, or null if the keystore is missing or does not open. */
    public io.github.camelkvconnect.smime.SmimeCredentials healthCredentials() {
        return credentials.getIfPresent();
    }

    /**
     * For the health check: the own credentials.
     *
     * @throws KvConnectKeystoreException why there are none (keystore not configured, missing, wrong PIN, no key)
     */
    public io.github.camelkvconnect.smime.SmimeCredentials healthKeystoreCredentials() throws KvConnectKeystoreException {
        return credentials.get();
    }

    Path stateDirectory() {
        return Path.of(configuration.getStateDirectory());
    }

    /**
     * The consumer's temporary directory of this account ({@code <stateDirectory>/work/<account>/receive}): downloaded
     * and decrypted messages. Only the consumer holding the account lock uses and cleans it.
     */
    Path receiveWorkDirectory() {
        return WorkDirectories.receive(stateDirectory(), address);
    }

    /**
     * This endpoint's own temporary directory for outgoing messages (producer, receipts), created on first use below
     * {@code <stateDirectory>/work/<account>/} and removed when the endpoint stops. Other endpoints sharing the state
     * directory never touch it.
     */
    synchronized Path sendWorkDirectory() throws java.io.IOException {
        if (sendWork == null) {
            sendWork = WorkDirectories.newSendDirectory(stateDirectory(), address);
        }
        return sendWork.directory();
    }

    /** How many idempotency keys the send ledger keeps (documented under "Idempotent sending"). */
    static final int SEND_LEDGER_ENTRIES = 10_000;

    /**
     * The account's send ledger ({@code <stateDirectory>/<account>.sent}): the Message-ID of each idempotency key,
     * recorded before the POST. Shared with every endpoint of the account and state directory, in any process.
     */
    synchronized SendLedger sendLedger() {
        if (sendLedger == null) {
            sendLedger = SendLedger.forAccount(stateDirectory(), address, SEND_LEDGER_ENTRIES, clock);
        }
        return sendLedger;
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (sendWork != null) {
                sendWork.close();
                sendWork = null;
            }
        }
        super.doStop();
    }

    KvConnectRestClient restClient() {
        return restClient;
    }

    KeystoreCredentials credentials() {
        return credentials;
    }

    CertificateCache certificateCache() {
        return certificateCache;
    }

    MessageCrypto crypto() {
        return crypto;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Replaces the clock (before the endpoint starts): tests run the endpoint on a clock that differs from the
     * server's. The S/MIME checks of received and sent messages (certificate validity, CRL currency), the failure
     * ledger's backoff, token expiry, the Date of sent messages and the clock skew detection use it.
     */
    void clock(Clock clock) {
        this.clock = clock;
    }

    /** For the health check: the difference between the local clock and the server's (null before the start). */
    public ClockSkew healthClockSkew() {
        return restClient == null ? null : restClient.clockSkew();
    }

    public KvConnectStatistics getStatistics() {
        return statistics;
    }

    public String getAddress() {
        return address;
    }

    /** The KV-Connect address of the account, e.g. praxis.mueller@kv-safenet.de. */
    public void setAddress(String address) {
        this.address = address;
    }

    public KvConnectConfiguration getConfiguration() {
        return configuration;
    }

    /** The account configuration; can be a shared bean ({@code configuration=#myAccount}); it is copied per endpoint. */
    public void setConfiguration(KvConnectConfiguration configuration) {
        this.configuration = configuration.copy();
    }

    public long getMaxClockSkew() {
        return maxClockSkew;
    }

    /**
     * The largest difference in milliseconds between the local clock and the KV-Connect server's (the Date header of its
     * answers) that is accepted without a warning. Beyond it one WARN is logged when the difference starts and one INFO
     * when it is gone, and the consumer health check reports it (details clockSkew, clockSkewExceeded). Certificates
     * are always validated with the local clock, never the server's time. 0 turns the detection off.
     */
    public void setMaxClockSkew(long maxClockSkew) {
        this.maxClockSkew = maxClockSkew;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    /**
     * The maximum number of messages read per poll; messages that are skipped (other Dienstkennung, waiting after a
     * failure) do not count. 0 or negative means no limit.
     */
    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    @ManagedAttribute(description = "Messages delivered to the route")
    public long getReceivedCount() {
        return statistics.received();
    }

    @ManagedAttribute(description = "Messages sent")
    public long getSentCount() {
        return statistics.sent();
    }

    @ManagedAttribute(description = "Messages left on the server because their exchange failed")
    public long getKeptOnServerCount() {
        return statistics.keptOnServer();
    }

    @ManagedAttribute(description = "Messages that could not be decrypted")
    public long getDecryptFailureCount() {
        return statistics.decryptFailures();
    }

    @ManagedAttribute(description = "Messages with an invalid signature")
    public long getBadSignatureCount() {
        return statistics.badSignatures();
    }

    @ManagedAttribute(description = "Deletes on the server that failed (retried on the next poll)")
    public long getDeleteFailureCount() {
        return statistics.deleteFailures();
    }

    @ManagedAttribute(description = "Eingangsbestaetigungen (receipts) sent")
    public long getReceiptSentCount() {
        return statistics.receiptsSent();
    }

    @ManagedAttribute(description = "Failed attempts to send an Eingangsbestaetigung (receipt); each is retried")
    public long getReceiptSendFailureCount() {
        return statistics.receiptSendFailures();
    }

    @ManagedAttribute(description = "Eingangsbestaetigungen (receipts) recorded but not yet sent")
    public int getPendingReceiptCount() {
        return statistics.pendingReceipts().count();
    }

    @ManagedAttribute(description = "Seconds since the oldest pending Eingangsbestaetigung (receipt) was recorded; 0 if "
                                    + "none is pending")
    public long getOldestPendingReceiptAgeSeconds() {
        Instant oldest = statistics.pendingReceipts().oldestRecordedAt();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds());
    }

    @Override
    public String getServiceUrl() {
        return configuration.getServerUrl();
    }

    @Override
    public String getServiceProtocol() {
        return "https";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        return configuration.getUsername() != null ? Map.of("username", configuration.getUsername()) : null;
    }
}
