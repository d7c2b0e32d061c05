package io.github.camelkvconnect.component;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The configuration of one KV-Connect account: server, credentials, keys, trust and behaviour. Can be defined once as
 * a bean and shared ({@code configuration=#myAccount} or on the component); every endpoint works on its own copy.
 */
@UriParams
public class KvConnectConfiguration implements Cloneable {

    @UriParam(label = "common")
    @Metadata(required = true)
    private String serverUrl;

    @UriParam(label = "security", security = "secret")
    private String username;

    @UriParam(label = "security", secret = true)
    private String password;

    @UriParam(label = "security", defaultValue = "basic")
    private AuthMethod authMethod = AuthMethod.basic;

    @UriParam(label = "security")
    private String keystoreFile;

    @UriParam(label = "security", secret = true)
    private String keystorePassword;

    @UriParam(label = "security")
    private String tlsTrustAnchors;

    @UriParam(label = "security")
    private String truststoreFile;

    @UriParam(label = "security", secret = true)
    private String truststorePassword;

    @UriParam(label = "security", defaultValue = "PKCS12")
    private String truststoreType = "PKCS12";

    @UriParam(label = "security")
    private String smimeTrustAnchors;

    @UriParam(label = "security")
    private String crlFiles;

    @UriParam(label = "common", defaultValue = "KVCONNECT", enums = "KVCONNECT,KIM")
    private String profile = "KVCONNECT";

    @UriParam(label = "security,advanced", defaultValue = "default")
    private String rsaProvider = "default";

    @UriParam(label = "advanced", defaultValue = "10000")
    private int connectTimeout = 10000;

    @UriParam(label = "advanced", defaultValue = "60000")
    private int readTimeout = 60000;

    @UriParam(label = "advanced")
    private String validationTime;

    @UriParam(label = "advanced", defaultValue = "kvconnect-state")
    private String stateDirectory = "kvconnect-state";

    @UriParam(label = "producer,advanced", defaultValue = "3600000")
    private long certificateCacheTtl = 3600000;

    @UriParam(label = "consumer,filter")
    private String dienstkennungFilter;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean includeRawMessage = false;

    @UriParam(label = "consumer,advanced", defaultValue = "1048576")
    private int maxTextHeaderSize = 1048576;

    @UriParam(label = "consumer,advanced", defaultValue = "4294967296")
    private long maxMessageSize = 4L * 1024 * 1024 * 1024;

    @UriParam(label = "consumer", defaultValue = "warn")
    private SignaturePolicy signaturePolicy = SignaturePolicy.warn;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean deleteHandledFailures = false;

    @UriParam(label = "consumer,advanced")
    private org.apache.camel.spi.IdempotentRepository idempotentRepository;

    @UriParam(label = "consumer,advanced", defaultValue = "60000")
    private long failureBackoff = 60000;

    @UriParam(label = "consumer,advanced", defaultValue = "3600000")
    private long failureBackoffMax = 3600000;

    @UriParam(label = "consumer,advanced", defaultValue = "5")
    private int quarantineAfterAttempts = 5;

    @UriParam(label = "consumer,advanced", defaultValue = "exceptionHandler")
    private DeleteFailureHandling deleteFailureHandling = DeleteFailureHandling.exceptionHandler;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean sendMdn = false;

    @UriParam(label = "consumer,advanced", defaultValue = "30000")
    private long receiptRetryBackoff = 30000;

    @UriParam(label = "consumer,advanced", defaultValue = "900000")
    private long receiptRetryBackoffMax = 900000;

    @UriParam(label = "consumer,advanced", defaultValue = "30")
    private int certificateExpiryWarningDays = 30;

    @UriParam(label = "producer", defaultValue = "send")
    private KvConnectOperation operation = KvConnectOperation.send;

    @UriParam(label = "producer")
    private String sendersystem = "camel-kvconnect;" + KvConnectVersion.VERSION;

    @UriParam(label = "producer,directory")
    private String ldapUrl;

    @UriParam(label = "producer,directory", defaultValue = "ou=users,dc=kv-safenet,dc=de")
    private String ldapBaseDn = "ou=users,dc=kv-safenet,dc=de";

    @UriParam(label = "producer,directory", defaultValue = "100")
    private int directoryMaxResults = 100;

    @UriParam(label = "producer,certificate", defaultValue = "150")
    private int renewBeforeDays = 150;

    @UriParam(label = "producer,certificate", defaultValue = "2048", enums = "2048,3072,4096")
    private int keySize = 2048;

    @UriParam(label = "producer,certificate", defaultValue = "1000")
    private long csrPollInterval = 1000;

    @UriParam(label = "producer,certificate", defaultValue = "300000")
    private long csrTimeout = 300000;

    public String getServerUrl() {
        return serverUrl;
    }

    /**
     * The base URL of the KV-Connect REST interface, e.g. https://kvc.example:8443/kvconnect/rest/. HTTPS; the server certificate is verified against tlsTrustAnchors or truststoreFile.
     */
    public void setServerUrl(String serverUrl) {
        this.serverUrl = serverUrl;
    }

    public String getUsername() {
        return username;
    }

    /**
     * The KV-Connect user name (login) of the account.
     */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /**
     * The account password.
     */
    public void setPassword(String password) {
        this.password = password;
    }

    public AuthMethod getAuthMethod() {
        return authMethod;
    }

    /**
     * How requests authenticate: basic (HTTP BASIC on every request) or token (a bearer token from POST sts/token, reused until it expires and renewed transparently when the server answers 401).
     */
    public void setAuthMethod(AuthMethod authMethod) {
        this.authMethod = authMethod;
    }

    public String getKeystoreFile() {
        return keystoreFile;
    }

    /**
     * The PKCS#12 keystore holding the account's private key and certificate. requestCertificate creates or updates it. Protected by keystorePassword (the PIN).
     */
    public void setKeystoreFile(String keystoreFile) {
        this.keystoreFile = keystoreFile;
    }

    public String getKeystorePassword() {
        return keystorePassword;
    }

    /**
     * The PIN (password) protecting the keystore. Named keystorePassword so that Camel masks it in logged endpoint
     * URIs.
     */
    public void setKeystorePassword(String keystorePassword) {
        this.keystorePassword = keystorePassword;
    }

    public String getTlsTrustAnchors() {
        return tlsTrustAnchors;
    }

    /**
     * The CA certificates the server's TLS certificate must chain to: PEM text or a comma-separated list of PEM files. Without it (and without truststoreFile) the JDK's default CAs apply. Host names are always verified.
     */
    public void setTlsTrustAnchors(String tlsTrustAnchors) {
        this.tlsTrustAnchors = tlsTrustAnchors;
    }

    public String getTruststoreFile() {
        return truststoreFile;
    }

    /**
     * A truststore file with the CA certificates for TLS (alternative to tlsTrustAnchors).
     */
    public void setTruststoreFile(String truststoreFile) {
        this.truststoreFile = truststoreFile;
    }

    public String getTruststorePassword() {
        return truststorePassword;
    }

    /**
     * The password of the truststore file.
     */
    public void setTruststorePassword(String truststorePassword) {
        this.truststorePassword = truststorePassword;
    }

    public String getTruststoreType() {
        return truststoreType;
    }

    /**
     * The type of the truststore file.
     */
    public void setTruststoreType(String truststoreType) {
        this.truststoreType = truststoreType;
    }

    public String getSmimeTrustAnchors() {
        return smimeTrustAnchors;
    }

    /**
     * The CA certificates that signer certificates must chain to (e.g. the KV Telematik root and user CAs): PEM text or a comma-separated list of PEM files.
     */
    public void setSmimeTrustAnchors(String smimeTrustAnchors) {
        this.smimeTrustAnchors = smimeTrustAnchors;
    }

    public String getCrlFiles() {
        return crlFiles;
    }

    /**
     * Certificate revocation lists to check the signer certificates of received messages and the recipients' (and own) certificates of sent messages against: a comma-separated list of PEM or DER CRL files (e.g. the CRL of the KV Telematik user CA). A signer listed in a current CRL of its CA gets the signature status REVOKED, and signaturePolicy decides; a listed recipient or own certificate fails the send with KvConnectMissingCertificateException, nothing sent. Only these files are consulted (no OCSP, no download); a certificate whose CA has no current CRL here is not checked, so keep the files current. A changed file is re-read before the next message, without a restart. A missing or unreadable file fails the consumer's or producer's start.
     */
    public void setCrlFiles(String crlFiles) {
        this.crlFiles = crlFiles;
    }

    public String getProfile() {
        return profile;
    }

    /**
     * The S/MIME profile messages are sent in: KVCONNECT (clear-signed SHA256withRSA, EnvelopedData AES-256-CBC, RSA PKCS#1 v1.5 key transport) or KIM (gemSMIME_KOMLE: message/rfc822-wrapped, opaque SignedData RSASSA-PSS, AuthEnvelopedData AES-256-GCM, RSAES-OAEP, recipient-emails attribute; outer Subject KOM-LE-Nachricht). The consumer reads both (with KIM, messages in the KIM envelope must meet the KIM algorithms). Any RSA key and certificate serves both profiles.
     */
    public void setProfile(String profile) {
        this.profile = profile;
    }

    public String getRsaProvider() {
        return rsaProvider;
    }

    /**
     * The JCA provider for the RSA operations of sending and receiving: the signature and the key wrap to each recipient when sending, the key unwrap and the verification of PKCS#1 v1.5 signatures when receiving (one RSA private-key operation per message, most of the time of a small message). default: the JVM's providers and Bouncy Castle. auto: the Amazon Corretto Crypto Provider (ACCP, native AWS-LC code, several times faster) if it is on the class path and passes its self-test, else default. AmazonCorrettoCryptoProvider: ACCP, or the endpoint does not start. Any other value: the name of a provider registered with java.security.Security (the keystore's software RSA key must be one it accepts). ACCP is not a dependency of this component: add software.amazon.cryptools:AmazonCorrettoCryptoProvider with the classifier of the platform (linux-x86_64 or linux-aarch64). The wire formats are unchanged: the same algorithms and identifiers, and messages interoperate with peers on any provider. AES, SHA-256 and certificate path validation stay on the JVM's providers. An unknown name, or a provider that lacks one of the RSA services used (signatures SHA256withRSA, SHA384withRSA, SHA512withRSA and RSASSA-PSS, ciphers RSA/ECB/PKCS1Padding and RSA/ECB/OAEPPadding with SHA-256), fails the endpoint's start naming the provider and the missing service.
     */
    public void setRsaProvider(String rsaProvider) {
        this.rsaProvider = rsaProvider;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * The connect timeout for REST and LDAP connections, in milliseconds.
     */
    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getReadTimeout() {
        return readTimeout;
    }

    /**
     * The time to wait for a REST answer (until the response headers arrive) or an LDAP result, in milliseconds. While a message is downloaded it is also the longest pause between two pieces of data: a stalled download is aborted and the message stays on the server.
     */
    public void setReadTimeout(int readTimeout) {
        this.readTimeout = readTimeout;
    }

    public String getValidationTime() {
        return validationTime;
    }

    /**
     * An ISO-8601 instant (e.g. 2018-05-01T12:00:00Z) at which certificates are validated instead of now: for reading archived messages whose certificates have expired since. Never derived from the message itself.
     */
    public void setValidationTime(String validationTime) {
        this.validationTime = validationTime;
    }

    public String getStateDirectory() {
        return stateDirectory;
    }

    /**
     * The directory for local state, one file each per account: the file-based idempotent repository (.delivered), the failure ledger with quarantined messages (.failures), the Eingangsbestaetigungen waiting to be sent (.receipts), the send ledger of idempotent sends (.sent, shared by every endpoint and process of the account) and the consumer lock; temporary files below work/<account>/. Endpoints of several accounts may share it; only one consumer per account may use it at a time.
     */
    public void setStateDirectory(String stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public long getCertificateCacheTtl() {
        return certificateCacheTtl;
    }

    /**
     * How long recipient certificates fetched from the server are cached, in milliseconds.
     */
    public void setCertificateCacheTtl(long certificateCacheTtl) {
        this.certificateCacheTtl = certificateCacheTtl;
    }

    public String getDienstkennungFilter() {
        return dienstkennungFilter;
    }

    /**
     * Only receive messages whose X-KVC-Dienstkennung matches one of these comma-separated patterns (* matches any characters, case-insensitive), e.g. 1ClickAbrechnung;*. Other messages stay on the server untouched.
     */
    public void setDienstkennungFilter(String dienstkennungFilter) {
        this.dienstkennungFilter = dienstkennungFilter;
    }

    public boolean isIncludeRawMessage() {
        return includeRawMessage;
    }

    /**
     * Whether to put the raw S/MIME transport message into the header CamelKvConnectRawMessage, as the Path of the file it was downloaded to (streamed, never loaded into memory). The file is deleted when the exchange completes: read or copy it within the route.
     */
    public void setIncludeRawMessage(boolean includeRawMessage) {
        this.includeRawMessage = includeRawMessage;
    }

    public long getMaxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The largest received transport message (as stored on the server, encrypted) in bytes; default 4 GiB. A larger message is not downloaded (or the download stops at the limit), stays on the server and is reported with a KvConnectFetchException; the other messages keep flowing. Also the S/MIME reader's message size limit.
     */
    public void setMaxMessageSize(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getMaxTextHeaderSize() {
        return maxTextHeaderSize;
    }

    /**
     * The most characters of the message text (the first inline text/plain part) put into the header CamelKvConnectText. A longer text is cut there, CamelKvConnectTextTruncated is set to true and the whole text is also available as the attachment message-text.txt (streamed) and in the body, the MIME entity. Protects the heap against huge text bodies.
     */
    public void setMaxTextHeaderSize(int maxTextHeaderSize) {
        this.maxTextHeaderSize = maxTextHeaderSize;
    }

    public SignaturePolicy getSignaturePolicy() {
        return signaturePolicy;
    }

    /**
     * What to do with a message whose signature is not valid: warn delivers it with a WARN log and the signature headers (the KV-Connect default); reject fails it and keeps it on the server.
     */
    public void setSignaturePolicy(SignaturePolicy signaturePolicy) {
        this.signaturePolicy = signaturePolicy;
    }

    public boolean isDeleteHandledFailures() {
        return deleteHandledFailures;
    }

    /**
     * Whether a message whose exchange failed but whose failure was handled by an error handler (e.g. a dead letter channel or onException with handled(true)) is deleted on the server. By default it stays there: only a successfully completed exchange deletes the message.
     */
    public void setDeleteHandledFailures(boolean deleteHandledFailures) {
        this.deleteHandledFailures = deleteHandledFailures;
    }

    public org.apache.camel.spi.IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /**
     * The repository of messages delivered successfully but not yet deleted on the server, keyed by account, Message-ID and content hash. It prevents a second delivery after a failed delete or a crash. Default: a file-based repository in stateDirectory that forces each record to the disk before the message is deleted.
     */
    public void setIdempotentRepository(org.apache.camel.spi.IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public long getFailureBackoff() {
        return failureBackoff;
    }

    /**
     * How long a message that could not be fetched, decrypted or processed (or was rejected for its signature) is left alone before the next attempt, in milliseconds; doubled after each further failure up to failureBackoffMax. A changed keystore file retries at once.
     */
    public void setFailureBackoff(long failureBackoff) {
        this.failureBackoff = failureBackoff;
    }

    public long getFailureBackoffMax() {
        return failureBackoffMax;
    }

    /**
     * The longest wait between two attempts to read a failing message, in milliseconds.
     */
    public void setFailureBackoffMax(long failureBackoffMax) {
        this.failureBackoffMax = failureBackoffMax;
    }

    public int getQuarantineAfterAttempts() {
        return quarantineAfterAttempts;
    }

    /**
     * After how many failed attempts to read a message (fetch, decryption, signature rejected, malformed content, or an unexpected exception or Error such as OutOfMemoryError while reading or routing it) the message is quarantined: it stays on the server but is no longer fetched, the consumer logs one ERROR line and hands one failed exchange with the header CamelKvConnectQuarantined=true to the error handler, and the health check lists it. The quarantine survives restarts and is lifted when the keystore file changes or its entry is removed from the failure ledger. Failures of the route's own processing that an error handler handled are not counted. 0 never quarantines.
     */
    public void setQuarantineAfterAttempts(int quarantineAfterAttempts) {
        this.quarantineAfterAttempts = quarantineAfterAttempts;
    }

    public DeleteFailureHandling getDeleteFailureHandling() {
        return deleteFailureHandling;
    }

    /**
     * How a failed delete on the server is reported: exceptionHandler (the consumer's exception handler, which logs at WARN unless bridged to the route) or log. Either way the delete is retried on the next poll and the message is not delivered again.
     */
    public void setDeleteFailureHandling(DeleteFailureHandling deleteFailureHandling) {
        this.deleteFailureHandling = deleteFailureHandling;
    }

    public long getReceiptRetryBackoff() {
        return receiptRetryBackoff;
    }

    /**
     * How long an Eingangsbestaetigung (receipt) whose sending failed waits before it is sent again, in milliseconds;
     * doubled after each further failure up to receiptRetryBackoffMax. Receipts are recorded in the state directory
     * before the original is deleted and are retried at the start of the polls (after a restart at once) until the
     * server accepts them.
     */
    public void setReceiptRetryBackoff(long receiptRetryBackoff) {
        this.receiptRetryBackoff = receiptRetryBackoff;
    }

    public long getReceiptRetryBackoffMax() {
        return receiptRetryBackoffMax;
    }

    /**
     * The longest wait between two attempts to send an Eingangsbestaetigung (receipt), in milliseconds.
     */
    public void setReceiptRetryBackoffMax(long receiptRetryBackoffMax) {
        this.receiptRetryBackoffMax = receiptRetryBackoffMax;
    }

    public boolean isSendMdn() {
        return sendMdn;
    }

    /**
     * Whether to answer messages carrying Disposition-Notification-To with an Eingangsbestaetigung (receipt notification, MDN) once the exchange completed successfully. Only messages whose signature verified get a receipt. The MDN is signed and encrypted like any KV-Connect message. The receipt is recorded in the state directory before the original is deleted on the server and is sent from there, retried with receiptRetryBackoff until the server accepts it, also after a restart; the header CamelKvConnectReceiptState tells what became of it.
     */
    public void setSendMdn(boolean sendMdn) {
        this.sendMdn = sendMdn;
    }

    public int getCertificateExpiryWarningDays() {
        return certificateExpiryWarningDays;
    }

    /**
     * The health check reports DOWN when the account's own certificate expires within this many days.
     */
    public void setCertificateExpiryWarningDays(int certificateExpiryWarningDays) {
        this.certificateExpiryWarningDays = certificateExpiryWarningDays;
    }

    public KvConnectOperation getOperation() {
        return operation;
    }

    /**
     * The producer operation.
     */
    public void setOperation(KvConnectOperation operation) {
        this.operation = operation;
    }

    public String getSendersystem() {
        return sendersystem;
    }

    /**
     * The X-KVC-Sendersystem value of sent messages (name;version, default camel-kvconnect;version of this component), unless the header CamelKvConnectSendersystem is set.
     */
    public void setSendersystem(String sendersystem) {
        this.sendersystem = sendersystem;
    }

    public String getLdapUrl() {
        return ldapUrl;
    }

    /**
     * The directory server for searchDirectory, e.g. ldaps://kvc.example:636 (ldap:// only for local tests). TLS uses the same trust anchors as REST.
     */
    public void setLdapUrl(String ldapUrl) {
        this.ldapUrl = ldapUrl;
    }

    public String getLdapBaseDn() {
        return ldapBaseDn;
    }

    /**
     * The base DN of directory searches.
     */
    public void setLdapBaseDn(String ldapBaseDn) {
        this.ldapBaseDn = ldapBaseDn;
    }

    public int getDirectoryMaxResults() {
        return directoryMaxResults;
    }

    /**
     * The maximum number of directory entries a search returns. It also bounds the directory's answer: 64 KiB plus 32 KiB per result (3.2 MiB for 100); a larger answer fails the search with KvConnectDirectoryException.
     */
    public void setDirectoryMaxResults(int directoryMaxResults) {
        this.directoryMaxResults = directoryMaxResults;
    }

    public int getRenewBeforeDays() {
        return renewBeforeDays;
    }

    /**
     * requestCertificate only requests a new certificate when there is none or the current one expires within this many days.
     */
    public void setRenewBeforeDays(int renewBeforeDays) {
        this.renewBeforeDays = renewBeforeDays;
    }

    public int getKeySize() {
        return keySize;
    }

    /**
     * The RSA key size for requestCertificate.
     */
    public void setKeySize(int keySize) {
        this.keySize = keySize;
    }

    public long getCsrPollInterval() {
        return csrPollInterval;
    }

    /**
     * How often requestCertificate asks the server for the CSR status, in milliseconds.
     */
    public void setCsrPollInterval(long csrPollInterval) {
        this.csrPollInterval = csrPollInterval;
    }

    public long getCsrTimeout() {
        return csrTimeout;
    }

    /**
     * How long requestCertificate waits for the certificate to be issued, in milliseconds.
     */
    public void setCsrTimeout(long csrTimeout) {
        this.csrTimeout = csrTimeout;
    }

    /** A copy for one endpoint, so that endpoint options never change a shared configuration. */
    public KvConnectConfiguration copy() {
        try {
            return (KvConnectConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
