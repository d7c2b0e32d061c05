package io.github.camelkvconnect.emulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.emulator.admin.AdminHttpApi;
import io.github.camelkvconnect.emulator.directory.EmulatorDirectory;
import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.pki.CertificateLifecycle;
import io.github.camelkvconnect.emulator.pki.CsrService;
import io.github.camelkvconnect.emulator.pki.EmulatorPki;
import io.github.camelkvconnect.emulator.pki.Pem;
import io.github.camelkvconnect.emulator.rest.HttpFrontend;
import io.github.camelkvconnect.emulator.rest.ServerContext;
import io.github.camelkvconnect.emulator.rest.TokenService;
import io.github.camelkvconnect.emulator.store.AccountRegistry;
import io.github.camelkvconnect.emulator.store.AccountsFile;
import io.github.camelkvconnect.emulator.store.MailStore;
import io.github.camelkvconnect.emulator.store.Spool;

/**
 * A running KV-Connect emulator: the REST API 2.7 over HTTPS, an LDAP/LDAPS directory, a Root CA and a User CA
 * (with CRLs), and an admin API. Start one with {@link #builder()}; {@link #close()} stops it.
 *
 * <pre>{@code
 * try (KvConnectEmulator emulator = KvConnectEmulator.builder()
 *         .account(EmulatorAccount.ready("praxis.a", "Secret12AB"))
 *         .start()) {
 *     URI rest = emulator.restBaseUri();            // https://localhost:<port>/kvconnect/rest/
 *     X509Certificate tlsCa = emulator.tlsCaCertificate();
 * }
 * }</pre>
 */
public final class KvConnectEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KvConnectEmulator.class);

    private final EmulatorPki pki;
    private final EmulatorDirectory directory;
    private final HttpFrontend http;
    private final EmulatorAdmin admin;
    private final EmulatorCredentials adminCredentials;
    private final Path dataDir;
    private final Spool spool;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private KvConnectEmulator(EmulatorPki pki, EmulatorDirectory directory, HttpFrontend http, EmulatorAdmin admin,
            EmulatorCredentials adminCredentials, Path dataDir, Spool spool) {
        this.spool = spool;
        this.pki = pki;
        this.directory = directory;
        this.http = http;
        this.admin = admin;
        this.adminCredentials = adminCredentials;
        this.dataDir = dataDir;
    }

    /** @return a builder with defaults: in memory, HTTPS, free ports on the loopback address */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the REST base URI, e.g. {@code https://localhost:43121/kvconnect/rest/} */
    public URI restBaseUri() {
        return URI.create(scheme() + "://localhost:" + http.port() + "/kvconnect/rest/");
    }

    /** @return the admin API base URI, e.g. {@code https://localhost:43121/admin/} */
    public URI adminBaseUri() {
        return URI.create(scheme() + "://localhost:" + http.port() + "/admin/");
    }

    /** @return the address book URI {@code .../vzd/accounts.json.zip} */
    public URI addressBookUri() {
        return URI.create(scheme() + "://localhost:" + http.port() + "/vzd/accounts.json.zip");
    }

    private String scheme() {
        return http.tls() ? "https" : "http";
    }

    /**
     * @return the User CA's CRL distribution point, {@code https://localhost:<port>/crl/user-ca.crl} (DER, no
     *         authentication)
     */
    public URI userCaCrlUri() {
        return crlUri(http, "user-ca.crl");
    }

    /** @return the Root CA's CRL distribution point, {@code https://localhost:<port>/crl/root-ca.crl} */
    public URI rootCaCrlUri() {
        return crlUri(http, "root-ca.crl");
    }

    private static URI crlUri(HttpFrontend http, String file) {
        return URI.create((http.tls() ? "https" : "http") + "://localhost:" + http.port() + "/crl/" + file);
    }

    /**
     * @return the User CA's current CRL as a DER file, {@code <data dir>/pki/user-ca.crl}, rewritten on every
     *         revocation and new issue (atomically), if the emulator persists
     */
    public Optional<Path> userCaCrlFile() {
        return pki.userCaRevocations().file();
    }

    /** @return the Root CA's current CRL as a DER file, {@code <data dir>/pki/root-ca.crl}, if the emulator persists */
    public Optional<Path> rootCaCrlFile() {
        return pki.rootCaRevocations().file();
    }

    /** @return the REST/admin port */
    public int restPort() {
        return http.port();
    }

    /** @return the admin API credentials (HTTP BASIC) */
    public EmulatorCredentials adminCredentials() {
        return adminCredentials;
    }

    /** @return {@code ldap://localhost:<port>} */
    public URI ldapUri() {
        return URI.create("ldap://localhost:" + directory.ldapPort());
    }

    /** @return {@code ldaps://localhost:<port>} */
    public URI ldapsUri() {
        return URI.create("ldaps://localhost:" + directory.ldapsPort());
    }

    /** @return the LDAP port */
    public int ldapPort() {
        return directory.ldapPort();
    }

    /** @return the LDAPS port */
    public int ldapsPort() {
        return directory.ldapsPort();
    }

    /** @return the base DN of the user entries, {@code ou=users,dc=kv-safenet,dc=de} */
    public String ldapBaseDn() {
        return EmulatorDirectory.USERS_DN;
    }

    /** @return the TLS CA certificate (trust anchor for HTTPS and LDAPS) as PEM */
    public String tlsCaCertificatePem() {
        return Pem.encode(pki.tlsCaCertificate());
    }

    /** @return the TLS CA certificate (trust anchor for HTTPS and LDAPS) */
    public X509Certificate tlsCaCertificate() {
        return pki.tlsCaCertificate();
    }

    /** @return an SSL context for clients that trusts exactly the TLS CA (hostname verification stays the caller's) */
    public SSLContext clientSslContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("kvconnect-emulator-tls-ca", pki.tlsCaCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new EmulatorException("Cannot build a client SSL context: " + e.getMessage(), e);
        }
    }

    /** @return the Root CA certificate, the S/MIME trust anchor */
    public X509Certificate rootCaCertificate() {
        return pki.rootCertificate();
    }

    /** @return the User CA certificate, issuer of all user certificates */
    public X509Certificate userCaCertificate() {
        return pki.userCaCertificate();
    }

    /** @return the data directory, if the emulator persists */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** @return the TLS CA PEM file in the data directory, if the emulator persists */
    public Optional<Path> tlsCaCertificateFile() {
        return dataDir().map(d -> d.resolve("pki").resolve("tls-ca.crt.pem"));
    }

    /** The spool directory for large bodies; package-private, for tests that check its clean-up. */
    Path spoolDirectory() {
        return spool.dir();
    }

    /** @return the admin API */
    public EmulatorAdmin admin() {
        return admin;
    }

    /** Stops all listeners (idempotent). Persisted data stays in the data directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            http.close();
        } finally {
            try {
                directory.close();
            } finally {
                spool.close();
            }
        }
        LOG.info("KV-Connect emulator stopped");
    }

    /** Configures and starts an emulator. */
    public static final class Builder {
        private Path dataDir;
        private Path accountsFile;
        private final List<EmulatorAccount> accounts = new ArrayList<>();
        private boolean plainHttp;
        private int restPort;
        private int ldapPort;
        private int ldapsPort;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private Duration certificateValidity = Duration.ofDays(730);
        private CsrProcessing csrProcessing = CsrProcessing.ONE_STEP_PER_POLL;
        private Clock clock = Clock.systemUTC();
        private Duration tokenLifetime = Duration.ofMinutes(30);
        private long maxMessageSize = 32L * 1024 * 1024;
        private EmulatorCredentials adminCredentials;
        private Duration crlValidity = Duration.ofDays(7);
        private boolean crlDistributionPoints;

        private Builder() {
        }

        /**
         * @param dir keep messages, accounts, CAs and directory here (created if missing)
         * @return this
         */
        public Builder dataDir(Path dir) { this.dataDir = dir; return this; }

        /**
         * @param file a YAML or JSON accounts file loaded at start
         * @return this
         */
        public Builder accountsFile(Path file) { this.accountsFile = file; return this; }

        /**
         * @param account an account created at start (skipped if the data directory already has it)
         * @return this
         */
        public Builder account(EmulatorAccount account) { this.accounts.add(Objects.requireNonNull(account)); return this; }

        /**
         * @param plain true for plain HTTP instead of HTTPS (explicit opt-in)
         * @return this
         */
        public Builder plainHttp(boolean plain) { this.plainHttp = plain; return this; }

        /**
         * @param port REST/admin port, 0 = free port (default)
         * @return this
         */
        public Builder restPort(int port) { this.restPort = port; return this; }

        /**
         * @param port LDAP port, 0 = free port (default)
         * @return this
         */
        public Builder ldapPort(int port) { this.ldapPort = port; return this; }

        /**
         * @param port LDAPS port, 0 = free port (default)
         * @return this
         */
        public Builder ldapsPort(int port) { this.ldapsPort = port; return this; }

        /**
         * @param address the listen address (default: loopback)
         * @return this
         */
        public Builder bindAddress(InetAddress address) { this.bindAddress = Objects.requireNonNull(address); return this; }

        /**
         * @param validity validity of issued user certificates (default 730 days)
         * @return this
         */
        public Builder certificateValidity(Duration validity) { this.certificateValidity = validity; return this; }

        /**
         * @param validity nextUpdate - thisUpdate of the CRLs (default 7 days); a CRL that has used up half of it is
         *                 replaced by a new one when it is fetched
         * @return this
         */
        public Builder crlValidity(Duration validity) { this.crlValidity = Objects.requireNonNull(validity); return this; }

        /**
         * @param enabled true: user certificates issued from now on carry a CRLDistributionPoints extension with
         *                {@link KvConnectEmulator#userCaCrlUri()} (default false: real KV-Connect certificates have none)
         * @return this
         */
        public Builder crlDistributionPoints(boolean enabled) { this.crlDistributionPoints = enabled; return this; }

        /**
         * @param processing how CSRs advance (default {@link CsrProcessing#ONE_STEP_PER_POLL})
         * @return this
         */
        public Builder csrProcessing(CsrProcessing processing) { this.csrProcessing = processing; return this; }

        /**
         * @param clock the clock for tokens, passwords, certificates (default system UTC)
         * @return this
         */
        public Builder clock(Clock clock) { this.clock = Objects.requireNonNull(clock); return this; }

        /**
         * @param lifetime bearer token lifetime (default 30 minutes)
         * @return this
         */
        public Builder tokenLifetime(Duration lifetime) { this.tokenLifetime = lifetime; return this; }

        /**
         * @param bytes maximum request body size; larger bodies get 413 (default 32 MiB)
         * @return this
         */
        public Builder maxMessageSize(long bytes) { this.maxMessageSize = bytes; return this; }

        /**
         * @param username admin username
         * @param password admin password (default: admin / random)
         * @return this
         */
        public Builder adminCredentials(String username, String password) {
            this.adminCredentials = new EmulatorCredentials(username, password);
            return this;
        }

        /**
         * Starts the emulator.
         *
         * @return the running emulator
         * @throws EmulatorException if it cannot start (message says why)
         */
        public KvConnectEmulator start() {
            if (dataDir != null) {
                try {
                    Files.createDirectories(dataDir);
                } catch (IOException e) {
                    throw new EmulatorException("Cannot create data directory " + dataDir + ": " + e.getMessage(), e);
                }
            }
            EmulatorCredentials adminCreds = adminCredentials != null ? adminCredentials
                    : new EmulatorCredentials("admin", randomPassword());
            AccountRegistry accounts = new AccountRegistry(dataDir, clock);
            List<EmulatorAccount> initial = new ArrayList<>();
            if (accountsFile != null) {
                initial.addAll(AccountsFile.read(accountsFile));
            }
            initial.addAll(this.accounts);
            for (EmulatorAccount account : initial) {
                if (accounts.byUsername(account.username()).isPresent()) {
                    LOG.info("Account {} already exists, keeping its stored state", account.username());
                } else {
                    accounts.create(account);
                }
            }
            // Before the spool: a PKI that cannot be loaded (e.g. a damaged CRL file) fails the start with nothing open.
            EmulatorPki pki = EmulatorPki.loadOrCreate(dataDir, clock, certificateValidity, crlValidity);
            Spool spool = Spool.create(dataDir);
            MailStore mails = new MailStore(dataDir, spool);
            FaultState faults = new FaultState();
            EmulatorDirectory directory = new EmulatorDirectory(bindAddress, ldapPort, ldapsPort, pki.serverSslContext(),
                    faults);
            CertificateLifecycle certificates = new CertificateLifecycle(pki, accounts, directory);
            CsrService csrs = new CsrService(accounts, certificates, faults, clock, csrProcessing);
            ServerContext ctx = new ServerContext(accounts, mails, certificates, csrs,
                    new TokenService(clock, tokenLifetime), faults, clock, maxMessageSize, spool, pki);
            EmulatorAdmin admin = new EmulatorAdmin(accounts, mails, certificates, faults, pki);
            HttpFrontend http;
            try {
                directory.start(accounts);
                http = new HttpFrontend(ctx, bindAddress, restPort, plainHttp ? null : pki.serverSslContext(),
                        new AdminHttpApi(admin, faults, adminCreds));
                if (crlDistributionPoints) {
                    // The URL holds the port, known once the server is bound; set before it accepts the first CSR.
                    pki.userCaCrlDistributionPoint(crlUri(http, "user-ca.crl"));
                }
                http.start();
            } catch (RuntimeException e) {
                directory.close();
                spool.close();
                throw e;
            }
            KvConnectEmulator emulator = new KvConnectEmulator(pki, directory, http, admin, adminCreds, dataDir, spool);
            LOG.info("KV-Connect emulator started: REST {}, LDAP {}, LDAPS {}, data {}", emulator.restBaseUri(),
                    emulator.ldapUri(), emulator.ldapsUri(), dataDir == null ? "in memory" : dataDir);
            return emulator;
        }

        private static String randomPassword() {
            byte[] bytes = new byte[12];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }
}
