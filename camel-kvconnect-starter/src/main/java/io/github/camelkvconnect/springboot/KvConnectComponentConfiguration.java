package io.github.camelkvconnect.springboot;

import java.time.Duration;

import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

import io.github.camelkvconnect.component.AuthMethod;
import io.github.camelkvconnect.component.DeleteFailureHandling;
import io.github.camelkvconnect.component.KvConnectOperation;
import io.github.camelkvconnect.component.SignaturePolicy;

/**
 * Options of the {@code kvconnect} component under {@code camel.component.kvconnect.*}: one KV-Connect account shared
 * by every {@code kvconnect:} endpoint of the application. Each endpoint works on its own copy; options in an endpoint
 * URI change only that endpoint.
 * <p>
 * Every option is {@code null} until it is set, so that an unset option neither overrides a referenced
 * {@link #setConfiguration(String) configuration} bean nor the component's own default (given in each description).
 * Times accept Spring Boot durations ({@code 90s}, {@code 5m}); a plain number means milliseconds, as in the endpoint
 * URI.
 * <p>
 * Secrets ({@code username}, {@code password}, {@code keystore-password}, {@code truststore-password}) are masked in
 * the actuator's {@code env} and {@code configprops} output and never logged; {@link #toString()} does not show them.
 * Text options may hold Camel property placeholders, resolved when Camel configures the component, so that secrets can
 * stay in a vault or the environment: {@code password: "{{vault:hashicorp:secret/kvc#password}}"} or
 * {@code "{{KVC_PASSWORD}}"}.
 * <p>
 * The class validates itself when Spring Boot binds it ({@link Validator}): a wrong value stops the application at
 * startup with the property name and what to do, instead of failing later in the first poll.
 */
@ConfigurationProperties(prefix = "camel.component.kvconnect")
public class KvConnectComponentConfiguration extends ComponentConfigurationPropertiesCommon implements Validator {

    // ---- common

    /**
     * The base URL of the KV-Connect REST interface, e.g. https://kvc.example:8443/kvconnect/rest/. HTTPS only; the
     * server certificate is verified against tls-trust-anchors or truststore-file.
     */
    private String serverUrl;

    /**
     * The S/MIME profile messages are sent in: KVCONNECT (clear-signed SHA256withRSA, EnvelopedData AES-256-CBC, RSA
     * PKCS#1 v1.5 key transport) or KIM (message/rfc822-wrapped, opaque SignedData RSASSA-PSS, AuthEnvelopedData
     * AES-256-GCM, RSAES-OAEP). Consumers read both. Default: KVCONNECT.
     */
    private String profile;

    // ---- security

    /** The KV-Connect user name (login) of the account. Secret: masked in actuator output. */
    private String username;

    /** The account password. Secret: masked in actuator output, never logged. */
    private String password;

    /**
     * How requests authenticate: basic (HTTP BASIC on every request) or token (a bearer token from POST sts/token,
     * reused until it expires and renewed transparently when the server answers 401). Default: basic.
     */
    private AuthMethod authMethod;

    /**
     * The PKCS#12 keystore holding the account's private key and certificate. The requestCertificate operation
     * creates or updates it. Protected by keystore-password (the PIN).
     */
    private String keystoreFile;

    /** The PIN (password) protecting the keystore. Secret: masked in actuator output, never logged. */
    private String keystorePassword;

    /**
     * The CA certificates the server's TLS certificate must chain to: PEM text (a YAML block scalar works) or a
     * comma-separated list of PEM files. Without it (and without truststore-file) the JDK's default CAs apply. Host
     * names are always verified.
     */
    private String tlsTrustAnchors;

    /** A truststore file with the CA certificates for TLS (alternative to tls-trust-anchors). */
    private String truststoreFile;

    /** The password of the truststore file. Secret: masked in actuator output, never logged. */
    private String truststorePassword;

    /** The type of the truststore file. Default: PKCS12. */
    private String truststoreType;

    /**
     * The CA certificates that signer certificates must chain to (e.g. the KV Telematik root and user CAs): PEM text
     * or a comma-separated list of PEM files.
     */
    private String smimeTrustAnchors;

    /**
     * Certificate revocation lists: a comma-separated list of PEM or DER CRL files (e.g. the CRL of the KV Telematik
     * user CA). A signer of a received message listed in a current CRL of its CA gets the signature status REVOKED, and
     * signature-policy decides; a send to a revoked recipient (or with a revoked own certificate) fails and nothing is
     * sent. Only these files are consulted (no OCSP, no download); a CA without a current CRL here is not checked, so
     * keep the files current. Consumers re-read a changed file before the next message, without a restart.
     */
    private String crlFiles;

    /**
     * The JCA provider for the RSA operations of sending and receiving (signature, key wrap to each recipient, key
     * unwrap, verification of PKCS#1 v1.5 signatures; one RSA private-key operation per message): default (the JVM's
     * providers and Bouncy Castle), auto (the Amazon Corretto Crypto Provider, ACCP, if it is on the class path and
     * passes its self-test, else default), AmazonCorrettoCryptoProvider (ACCP or the endpoints do not start) or the
     * name of a provider registered with java.security.Security. ACCP is not included: add
     * software.amazon.cryptools:AmazonCorrettoCryptoProvider with the classifier of the platform (linux-x86_64 or
     * linux-aarch64). The wire formats do not change. An unknown name, or a provider that lacks an RSA service used
     * (SHA256withRSA, SHA384withRSA, SHA512withRSA, RSASSA-PSS, RSA/ECB/PKCS1Padding, RSA/ECB/OAEPPadding with SHA-256),
     * stops the application at startup naming the missing service. Default: default.
     */
    private String rsaProvider;

    // ---- advanced

    /**
     * A bean holding a complete account configuration (io.github.camelkvconnect.component.KvConnectConfiguration),
     * e.g. #kvcAccount. The component works on a copy of it; the options set here are applied on top.
     */
    private String configuration;

    /** The connect timeout for REST and LDAP connections. Default: 10s. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration connectTimeout;

    /**
     * How long to wait for a REST answer (until the response headers arrive) or an LDAP result; while a message is
     * downloaded, also the longest pause between two pieces of data (a stalled download is aborted, the message stays
     * on the server). Default: 60s.
     */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration readTimeout;

    /**
     * The directory for local state, one file each per account: the file-based idempotent repository (.delivered), the
     * failure ledger with quarantined messages (.failures), the Eingangsbestaetigungen waiting to be sent (.receipts),
     * the send ledger of idempotent sends (.sent, shared by every endpoint and process of the account) and the consumer
     * lock; temporary files below work/. Endpoints of several accounts may share it; only
     * one consumer per account may use it at a time. Default: kvconnect-state (relative to the working directory).
     */
    private String stateDirectory;

    /**
     * An ISO-8601 instant (e.g. 2018-05-01T12:00:00Z) at which certificates are validated instead of now: for reading
     * archived messages whose certificates have expired since. Never derived from the message itself.
     */
    private String validationTime;

    /**
     * Whether autowiring is enabled: options marked as autowired are looked up in the registry when there is a single
     * bean of their type. Default: true.
     */
    private Boolean autowiredEnabled;

    // ---- consumer

    /**
     * Whether exceptions of the consumer (e.g. a poll that failed because the server is down) are handed to the
     * route's error handler instead of the consumer's exception handler, which logs them. Default: false.
     */
    private Boolean bridgeErrorHandler;

    /**
     * Whether a message whose exchange failed but whose failure was handled by an error handler (dead letter channel,
     * onException with handled(true)) is deleted on the server. By default it stays there: only a successfully
     * completed exchange deletes the message. Default: false.
     */
    private Boolean deleteHandledFailures;

    /**
     * Whether to put the raw S/MIME transport message into the header CamelKvConnectRawMessage, as the Path of the file
     * it was downloaded to (streamed, never loaded into memory). The file is deleted when the exchange completes: read
     * or copy it within the route. Default: false.
     */
    private Boolean includeRawMessage;

    /**
     * Whether to answer messages carrying Disposition-Notification-To with an Eingangsbestaetigung (receipt
     * notification, MDN) once the exchange completed successfully. Default: false.
     */
    private Boolean sendMdn;

    /**
     * How long an Eingangsbestaetigung (receipt) whose sending failed waits before it is sent again; doubled after each
     * further failure up to receipt-retry-backoff-max. Receipts are recorded in the state directory before the original
     * is deleted and retried until the server accepts them, also after a restart. Default: 30s.
     */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration receiptRetryBackoff;

    /** The longest wait between two attempts to send an Eingangsbestaetigung (receipt). Default: 15m. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration receiptRetryBackoffMax;

    /**
     * What to do with a message whose signature is not valid: warn delivers it with a WARN log and the signature
     * headers (the KV-Connect default); reject fails it and keeps it on the server. Default: warn.
     */
    private SignaturePolicy signaturePolicy;

    /**
     * The consumer's health check reports DOWN when the account's own certificate expires within this many days.
     * Default: 30.
     */
    private Integer certificateExpiryWarningDays;

    /**
     * How a failed delete on the server is reported: exceptionHandler (the consumer's exception handler, which logs at
     * WARN unless bridged to the route) or log. Either way the delete is retried and the message is not delivered
     * again. Default: exceptionHandler.
     */
    private DeleteFailureHandling deleteFailureHandling;

    /**
     * How long a message that could not be decrypted (or was rejected for its signature) is left alone before the next
     * attempt; doubled after each further failure up to failure-backoff-max. Default: 60s.
     */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration failureBackoff;

    /** The longest wait between two attempts to read a failing message. Default: 1h. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration failureBackoffMax;

    /**
     * After how many failed attempts to read a message (fetch, decryption, signature rejected, malformed content, or an
     * unexpected exception or Error such as OutOfMemoryError) it is quarantined: kept on the server, no longer fetched,
     * announced once (ERROR log line and a failed exchange with CamelKvConnectQuarantined=true) and listed by the health
     * check, until the keystore file changes or its entry is removed from the failure ledger. 0 never quarantines.
     * Default: 5.
     */
    private Integer quarantineAfterAttempts;

    /**
     * The most characters of the message text (the first inline text/plain part) put into the header
     * CamelKvConnectText. A longer text is cut there, CamelKvConnectTextTruncated is set to true, and the whole text
     * stays available as the streamed attachment message-text.txt. Protects the heap. Default: 1048576.
     */
    private Integer maxTextHeaderSize;

    /**
     * The largest received transport message (encrypted, as stored on the server), e.g. 700MB. A larger message is not
     * downloaded, stays on the server and is reported with a KvConnectFetchException; the other messages keep flowing.
     * Also the S/MIME reader's size limit. Default: 4GB.
     */
    private DataSize maxMessageSize;

    /**
     * A bean (org.apache.camel.spi.IdempotentRepository, e.g. #jdbcRepository) remembering messages delivered
     * successfully but not yet deleted on the server, keyed by account, Message-ID and content hash, so that they are
     * not delivered twice after a failed delete or a crash. Default: a file-based repository in state-directory that
     * forces each record to disk before the delete.
     */
    private String idempotentRepository;

    /**
     * Only receive messages whose X-KVC-Dienstkennung (service identifier) matches one of these comma-separated
     * patterns (* matches any characters, case-insensitive), e.g. 1ClickAbrechnung;*. Other messages stay on the
     * server untouched.
     */
    private String dienstkennungFilter;

    /** Whether the consumers of this component register their health checks. Default: true. */
    private Boolean healthCheckConsumerEnabled;

    /**
     * Whether producer health checks of this component are enabled (Camel disables producer checks globally unless
     * camel.health.producers-enabled=true). Default: true.
     */
    private Boolean healthCheckProducerEnabled;

    // ---- producer

    /**
     * Whether producers start lazily (on the first message), so that the application starts even if a producer could
     * not start yet. Default: false.
     */
    private Boolean lazyStartProducer;

    /**
     * The producer operation: send, searchDirectory, getCertificate, requestCertificate, changePassword or
     * serverVersion. Default: send.
     */
    private KvConnectOperation operation;

    /**
     * The X-KVC-Sendersystem value of sent messages (name;version), unless the header CamelKvConnectSendersystem is
     * set. Default: camel-kvconnect;version of the component.
     */
    private String sendersystem;

    /** How long recipient certificates fetched from the server are cached. Default: 1h. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration certificateCacheTtl;

    // ---- directory

    /**
     * The directory server for searchDirectory, e.g. ldaps://kvc.example:636 (ldap:// only for local tests). TLS uses
     * the same trust anchors as REST.
     */
    private String ldapUrl;

    /** The base DN of directory searches. Default: ou=users,dc=kv-safenet,dc=de. */
    private String ldapBaseDn;

    /**
     * The maximum number of directory entries a search returns. It also bounds the directory's answer: 64 KiB plus
     * 32 KiB per result (3.2 MiB for 100); a larger answer fails the search. Default: 100.
     */
    private Integer directoryMaxResults;

    // ---- certificate

    /**
     * requestCertificate only requests a new certificate when there is none or the current one expires within this
     * many days. Default: 150.
     */
    private Integer renewBeforeDays;

    /** The RSA key size for requestCertificate: 2048, 3072 or 4096. Default: 2048. */
    private Integer keySize;

    /** How often requestCertificate asks the server for the CSR status. Default: 1s. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration csrPollInterval;

    /** How long requestCertificate waits for the certificate to be issued. Default: 5m. */
    @DurationUnit(java.time.temporal.ChronoUnit.MILLIS)
    private Duration csrTimeout;

    @Override
    public boolean supports(Class<?> type) {
        return KvConnectComponentConfiguration.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        new KvConnectPropertiesValidator((KvConnectComponentConfiguration) target, errors).validate();
    }

    /** Names the set options, never their values: the object may hold secrets. */
    @Override
    public String toString() {
        return "KvConnectComponentConfiguration[serverUrl=" + serverUrl + ", username set=" + (username != null)
               + ", password set=" + (password != null) + ", keystoreFile=" + keystoreFile + "]";
    }

    public String getServerUrl() {
        return serverUrl;
    }

    public void setServerUrl(String serverUrl) {
        this.serverUrl = serverUrl;
    }

    public String getProfile() {
        return profile;
    }

    public void setProfile(String profile) {
        this.profile = profile;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public AuthMethod getAuthMethod() {
        return authMethod;
    }

    public void setAuthMethod(AuthMethod authMethod) {
        this.authMethod = authMethod;
    }

    public String getKeystoreFile() {
        return keystoreFile;
    }

    public void setKeystoreFile(String keystoreFile) {
        this.keystoreFile = keystoreFile;
    }

    public String getKeystorePassword() {
        return keystorePassword;
    }

    public void setKeystorePassword(String keystorePassword) {
        this.keystorePassword = keystorePassword;
    }

    public String getTlsTrustAnchors() {
        return tlsTrustAnchors;
    }

    public void setTlsTrustAnchors(String tlsTrustAnchors) {
        this.tlsTrustAnchors = tlsTrustAnchors;
    }

    public String getTruststoreFile() {
        return truststoreFile;
    }

    public void setTruststoreFile(String truststoreFile) {
        this.truststoreFile = truststoreFile;
    }

    public String getTruststorePassword() {
        return truststorePassword;
    }

    public void setTruststorePassword(String truststorePassword) {
        this.truststorePassword = truststorePassword;
    }

    public String getTruststoreType() {
        return truststoreType;
    }

    public void setTruststoreType(String truststoreType) {
        this.truststoreType = truststoreType;
    }

    public String getSmimeTrustAnchors() {
        return smimeTrustAnchors;
    }

    public void setSmimeTrustAnchors(String smimeTrustAnchors) {
        this.smimeTrustAnchors = smimeTrustAnchors;
    }

    public String getCrlFiles() {
        return crlFiles;
    }

    public void setCrlFiles(String crlFiles) {
        this.crlFiles = crlFiles;
    }

    public String getRsaProvider() {
        return rsaProvider;
    }

    public void setRsaProvider(String rsaProvider) {
        this.rsaProvider = rsaProvider;
    }

    public String getConfiguration() {
        return configuration;
    }

    public void setConfiguration(String configuration) {
        this.configuration = configuration;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public String getStateDirectory() {
        return stateDirectory;
    }

    public void setStateDirectory(String stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public String getValidationTime() {
        return validationTime;
    }

    public void setValidationTime(String validationTime) {
        this.validationTime = validationTime;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Boolean getDeleteHandledFailures() {
        return deleteHandledFailures;
    }

    public void setDeleteHandledFailures(Boolean deleteHandledFailures) {
        this.deleteHandledFailures = deleteHandledFailures;
    }

    public Boolean getIncludeRawMessage() {
        return includeRawMessage;
    }

    public void setIncludeRawMessage(Boolean includeRawMessage) {
        this.includeRawMessage = includeRawMessage;
    }

    public Boolean getSendMdn() {
        return sendMdn;
    }

    public void setSendMdn(Boolean sendMdn) {
        this.sendMdn = sendMdn;
    }

    public SignaturePolicy getSignaturePolicy() {
        return signaturePolicy;
    }

    public void setSignaturePolicy(SignaturePolicy signaturePolicy) {
        this.signaturePolicy = signaturePolicy;
    }

    public Integer getCertificateExpiryWarningDays() {
        return certificateExpiryWarningDays;
    }

    public void setCertificateExpiryWarningDays(Integer certificateExpiryWarningDays) {
        this.certificateExpiryWarningDays = certificateExpiryWarningDays;
    }

    public DeleteFailureHandling getDeleteFailureHandling() {
        return deleteFailureHandling;
    }

    public void setDeleteFailureHandling(DeleteFailureHandling deleteFailureHandling) {
        this.deleteFailureHandling = deleteFailureHandling;
    }

    public Duration getReceiptRetryBackoff() {
        return receiptRetryBackoff;
    }

    public void setReceiptRetryBackoff(Duration receiptRetryBackoff) {
        this.receiptRetryBackoff = receiptRetryBackoff;
    }

    public Duration getReceiptRetryBackoffMax() {
        return receiptRetryBackoffMax;
    }

    public void setReceiptRetryBackoffMax(Duration receiptRetryBackoffMax) {
        this.receiptRetryBackoffMax = receiptRetryBackoffMax;
    }

    public Duration getFailureBackoff() {
        return failureBackoff;
    }

    public void setFailureBackoff(Duration failureBackoff) {
        this.failureBackoff = failureBackoff;
    }

    public Integer getMaxTextHeaderSize() {
        return maxTextHeaderSize;
    }

    public void setMaxTextHeaderSize(Integer maxTextHeaderSize) {
        this.maxTextHeaderSize = maxTextHeaderSize;
    }

    public DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Duration getFailureBackoffMax() {
        return failureBackoffMax;
    }

    public void setFailureBackoffMax(Duration failureBackoffMax) {
        this.failureBackoffMax = failureBackoffMax;
    }

    public Integer getQuarantineAfterAttempts() {
        return quarantineAfterAttempts;
    }

    public void setQuarantineAfterAttempts(Integer quarantineAfterAttempts) {
        this.quarantineAfterAttempts = quarantineAfterAttempts;
    }

    public String getIdempotentRepository() {
        return idempotentRepository;
    }

    public void setIdempotentRepository(String idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public String getDienstkennungFilter() {
        return dienstkennungFilter;
    }

    public void setDienstkennungFilter(String dienstkennungFilter) {
        this.dienstkennungFilter = dienstkennungFilter;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public KvConnectOperation getOperation() {
        return operation;
    }

    public void setOperation(KvConnectOperation operation) {
        this.operation = operation;
    }

    public String getSendersystem() {
        return sendersystem;
    }

    public void setSendersystem(String sendersystem) {
        this.sendersystem = sendersystem;
    }

    public Duration getCertificateCacheTtl() {
        return certificateCacheTtl;
    }

    public void setCertificateCacheTtl(Duration certificateCacheTtl) {
        this.certificateCacheTtl = certificateCacheTtl;
    }

    public String getLdapUrl() {
        return ldapUrl;
    }

    public void setLdapUrl(String ldapUrl) {
        this.ldapUrl = ldapUrl;
    }

    public String getLdapBaseDn() {
        return ldapBaseDn;
    }

    public void setLdapBaseDn(String ldapBaseDn) {
        this.ldapBaseDn = ldapBaseDn;
    }

    public Integer getDirectoryMaxResults() {
        return directoryMaxResults;
    }

    public void setDirectoryMaxResults(Integer directoryMaxResults) {
        this.directoryMaxResults = directoryMaxResults;
    }

    public Integer getRenewBeforeDays() {
        return renewBeforeDays;
    }

    public void setRenewBeforeDays(Integer renewBeforeDays) {
        this.renewBeforeDays = renewBeforeDays;
    }

    public Integer getKeySize() {
        return keySize;
    }

    public void setKeySize(Integer keySize) {
        this.keySize = keySize;
    }

    public Duration getCsrPollInterval() {
        return csrPollInterval;
    }

    public void setCsrPollInterval(Duration csrPollInterval) {
        this.csrPollInterval = csrPollInterval;
    }

    public Duration getCsrTimeout() {
        return csrTimeout;
    }

    public void setCsrTimeout(Duration csrTimeout) {
        this.csrTimeout = csrTimeout;
    }
}
