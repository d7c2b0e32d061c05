package io.github.camelkvconnect.springboot;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.KvConnectEmulator;
import io.github.camelkvconnect.emulator.RevocationReason;

/**
 * One KV-Connect emulator for all tests of this module (Spring caches application contexts across test classes, so
 * the server they point at must outlive a single class), with ready accounts: password set, RSA key, certificate
 * issued by the emulator's user CA, PIN-protected PKCS#12 keystore. Files live in target/, and the emulator stops when
 * the test JVM ends.
 */
final class KvcTestServer {

    /** Distinctive values, so that tests can search the log output for them. */
    static final String PASSWORD = "Kvc7Secret7AB";
    static final String PIN = "pin-4711-do-not-log";

    private static KvcTestServer instance;

    private final KvConnectEmulator emulator;
    private final Path dir;
    private final Path tlsAnchors;
    private final Path smimeAnchors;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** A ready account. */
    record Account(String username, String address, Path keystore, X509Certificate certificate) {
    }

    private KvcTestServer() throws Exception {
        Path target = Path.of("target");
        Files.createDirectories(target);
        dir = Files.createTempDirectory(target.toAbsolutePath(), "kvc-test-");
        // with a data directory, as a standalone emulator: the User CA publishes its CRL as a file there
        emulator = KvConnectEmulator.builder().dataDir(dir.resolve("emulator-data")).start();
        tlsAnchors = Files.writeString(dir.resolve("tls-ca.pem"), emulator.tlsCaCertificatePem());
        smimeAnchors = Files.writeString(dir.resolve("smime-anchors.pem"),
                pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()));
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "kvc-emulator-stop"));
    }

    static synchronized KvcTestServer get() {
        if (instance == null) {
            try {
                instance = new KvcTestServer();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the KV-Connect emulator", e);
            }
        }
        return instance;
    }

    KvConnectEmulator emulator() {
        return emulator;
    }

    Path dir() {
        return dir;
    }

    String restBaseUri() {
        return emulator.restBaseUri().toString();
    }

    Path tlsAnchors() {
        return tlsAnchors;
    }

    Path smimeAnchors() {
        return smimeAnchors;
    }

    /** The account, created with key, certificate and keystore on first use. */
    Account account(String username) {
        return accounts.computeIfAbsent(username, this::create);
    }

    private Account create(String username) {
        try {
            emulator.admin().createAccount(EmulatorAccount.ready(username, PASSWORD));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            X509Certificate cert = emulator.admin().issueCertificate(username, keys.getPublic());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("kvconnect", keys.getPrivate(), PIN.toCharArray(),
                    new X509Certificate[] { cert, emulator.userCaCertificate(), emulator.rootCaCertificate() });
            Path keystore = dir.resolve(username + ".p12");
            try (OutputStream out = Files.newOutputStream(keystore)) {
                ks.store(out, PIN.toCharArray());
            }
            return new Account(username, username + "@" + EmulatorAccount.DOMAIN, keystore, cert);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot set up the test account " + username, e);
        }
    }

    /**
     * Revokes the certificate of each of the accounts (created if needed) in the emulator, whose User CA at once
     * publishes a new CRL listing it, and returns that published CRL file (DER, replaced atomically on every
     * revocation, so test classes sharing it each see the accounts they revoked). Revoking again changes nothing.
     */
    Path userCaCrlRevoking(String... usernames) {
        for (String username : usernames) {
            account(username);
            emulator.admin().revokeCertificate(username, RevocationReason.KEY_COMPROMISE);
        }
        return emulator.userCaCrlFile().orElseThrow();
    }

    /** A producer URI for sending as {@code account}: every account option given in the URI. */
    String senderUri(Account account) {
        return "kvconnect:" + account.address() + "?serverUrl=" + restBaseUri() + "&username=" + account.username()
               + "&password=RAW(" + PASSWORD + ")&keystoreFile=" + account.keystore() + "&keystorePassword=RAW(" + PIN
               + ")&tlsTrustAnchors=" + tlsAnchors + "&smimeTrustAnchors=" + smimeAnchors;
    }

    static String pem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
               + "\n-----END CERTIFICATE-----\n";
    }
}
