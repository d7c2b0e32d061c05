package io.github.camelkvconnect.component.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

import io.github.camelkvconnect.component.mime.TempFiles;
import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorAdmin;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * A running KV-Connect emulator plus ready accounts (password set, key pair, issued certificate, PKCS#12 keystore)
 * and the PEM files the component needs; builds endpoint URIs for them. One per test class: keys are generated once.
 * <p>
 * Register it as a JUnit extension, and the emulator runs for the test class (in a temporary directory deleted
 * afterwards) and {@link KvConnectTestSupport} tests get it as {@code kvc()}:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EmulatorFixture kvc = EmulatorFixture.perTestClass();
 * </pre>
 */
public final class EmulatorFixture implements BeforeAllCallback, AfterAllCallback, TestInstancePostProcessor, AutoCloseable {

    public static final String PASSWORD = "Secret12AB";
    public static final String PIN = "pin-4711";

    private final Consumer<KvConnectEmulator.Builder> configure;
    private boolean withDataDir;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private volatile Running running;

    /** One ready account. */
    public record Account(String username, String address, KeyPair keys, X509Certificate certificate, Path keystore) {
    }

    /** The emulator and the files written for it. */
    private record Running(KvConnectEmulator emulator, Path dir, boolean ownsDir, Path tlsAnchors, Path smimeAnchors) {
    }

    private EmulatorFixture(Consumer<KvConnectEmulator.Builder> configure) {
        this.configure = configure;
    }

    /** A fixture started before the first test of the class that registers it, stopped after the last. */
    public static EmulatorFixture perTestClass() {
        return perTestClass(b -> {
        });
    }

    /** As {@link #perTestClass()}, with emulator settings (e.g. a clock or a message size limit). */
    public static EmulatorFixture perTestClass(Consumer<KvConnectEmulator.Builder> configure) {
        return new EmulatorFixture(configure);
    }

    /**
     * As {@link #perTestClass()}, with the emulator keeping its data (PKI files included, as a standalone emulator
     * does) in the fixture's directory: tests can use the files an operator of the emulator has, e.g. the User CA's
     * CRL the emulator publishes ({@code emulator().userCaCrlFile()}) or the CA keys ({@link #emulatorPkiFile}).
     */
    public static EmulatorFixture perTestClassWithDataDir() {
        EmulatorFixture fixture = new EmulatorFixture(b -> {
        });
        fixture.withDataDir = true;
        return fixture;
    }

    /** Starts a fixture at once, writing its files to {@code dir} (which the caller owns). */
    public static EmulatorFixture start(Path dir, Consumer<KvConnectEmulator.Builder> configure) throws Exception {
        EmulatorFixture fixture = new EmulatorFixture(configure);
        fixture.startIn(dir, false);
        return fixture;
    }

    public static EmulatorFixture start(Path dir) throws Exception {
        return start(dir, b -> {
        });
    }

    private void startIn(Path dir, boolean ownsDir) throws Exception {
        KvConnectEmulator.Builder builder = KvConnectEmulator.builder();
        configure.accept(builder);
        if (withDataDir) {
            builder.dataDir(dir.resolve("emulator-data"));
        }
        KvConnectEmulator emulator = builder.start();
        Path tlsAnchors = Files.writeString(dir.resolve("tls-ca.pem"), emulator.tlsCaCertificatePem());
        Path smimeAnchors = Files.writeString(dir.resolve("smime-anchors.pem"),
                pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()));
        running = new Running(emulator, dir, ownsDir, tlsAnchors, smimeAnchors);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startIn(Files.createTempDirectory("kvconnect-emulator-"), true);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        if (testInstance instanceof KvConnectTestSupport test) {
            test.useEmulator(this);
        }
    }

    private Running running() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("The emulator is not running: register the fixture with @RegisterExtension "
                                            + "on a static field, or use EmulatorFixture.start(dir)");
        }
        return r;
    }

    public KvConnectEmulator emulator() {
        return running().emulator();
    }

    public EmulatorAdmin admin() {
        return emulator().admin();
    }

    /** The directory for the fixture's files (keystores, trust anchors); tests may put their own files there. */
    public Path dir() {
        return running().dir();
    }

    /** A file of the emulator's PKI directory, e.g. {@code user-ca.key.pem} (only with {@link #perTestClassWithDataDir}). */
    public Path emulatorPkiFile(String name) {
        return emulator().dataDir()
                .orElseThrow(() -> new IllegalStateException("The emulator has no data directory: use "
                                                             + "EmulatorFixture.perTestClassWithDataDir()"))
                .resolve("pki").resolve(name);
    }

    public Path tlsAnchors() {
        return running().tlsAnchors();
    }

    public Path smimeAnchors() {
        return running().smimeAnchors();
    }

    /** An account with a key, an issued certificate and a keystore (created on first use). */
    public Account account(String username) {
        return accounts.computeIfAbsent(username, u -> {
            try {
                admin().createAccount(EmulatorAccount.ready(u, PASSWORD));
                KeyPair keys = TestKeys.rsa();
                X509Certificate cert = admin().issueCertificate(u, keys.getPublic());
                Path keystore = TestKeys.keystore(dir().resolve(u + ".p12"), keys.getPrivate(),
                        List.of(cert, emulator().userCaCertificate(), emulator().rootCaCertificate()), PIN);
                return new Account(u, u + "@" + EmulatorAccount.DOMAIN, keys, cert, keystore);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** An account on the server without certificate and keystore. */
    public String bareAccount(String username) {
        admin().createAccount(EmulatorAccount.ready(username, PASSWORD));
        return username + "@" + EmulatorAccount.DOMAIN;
    }

    /** The endpoint URI of an account; {@code options} are appended ("a=b&c=d"). */
    public String uri(Account account, Path stateDirectory, String options) {
        return uri(account.username(), account.keystore(), stateDirectory, options);
    }

    public String uri(String username, Path keystore, Path stateDirectory, String options) {
        StringBuilder sb = new StringBuilder("kvconnect:").append(username).append('@').append(EmulatorAccount.DOMAIN)
                .append("?serverUrl=").append(emulator().restBaseUri())
                .append("&username=").append(username)
                .append("&password=RAW(").append(PASSWORD).append(')')
                .append("&keystoreFile=").append(keystore)
                .append("&keystorePassword=RAW(").append(PIN).append(')')
                .append("&tlsTrustAnchors=").append(tlsAnchors())
                .append("&smimeTrustAnchors=").append(smimeAnchors())
                .append("&stateDirectory=").append(stateDirectory)
                .append("&ldapUrl=").append(emulator().ldapsUri());
        if (options != null && !options.isEmpty()) {
            sb.append('&').append(options);
        }
        return sb.toString();
    }

    public static String pem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
               + "\n-----END CERTIFICATE-----\n";
    }

    @Override
    public void close() {
        Running r = running;
        running = null;
        accounts.clear();
        if (r != null) {
            r.emulator().close();
            if (r.ownsDir()) {
                TempFiles.deleteRecursively(r.dir());
            }
        }
    }
}
