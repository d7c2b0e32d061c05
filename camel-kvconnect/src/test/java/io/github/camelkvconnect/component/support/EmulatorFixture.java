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

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorAdmin;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * A running KV-Connect emulator plus ready accounts (password set, key pair, issued certificate, PKCS#12 keystore)
 * and the PEM files the component needs; builds endpoint URIs for them. One per test class: keys are generated once.
 */
public final class EmulatorFixture implements AutoCloseable {

    public static final String PASSWORD = "Secret12AB";
    public static final String PIN = "pin-4711";

    private final KvConnectEmulator emulator;
    private final Path dir;
    private final Path tlsAnchors;
    private final Path smimeAnchors;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();

    /** One ready account. */
    public record Account(String username, String address, KeyPair keys, X509Certificate certificate, Path keystore) {
    }

    private EmulatorFixture(KvConnectEmulator emulator, Path dir) throws Exception {
        this.emulator = emulator;
        this.dir = dir;
        this.tlsAnchors = Files.writeString(dir.resolve("tls-ca.pem"), emulator.tlsCaCertificatePem());
        this.smimeAnchors = Files.writeString(dir.resolve("smime-anchors.pem"),
                pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()));
    }

    public static EmulatorFixture start(Path dir, Consumer<KvConnectEmulator.Builder> configure) throws Exception {
        KvConnectEmulator.Builder builder = KvConnectEmulator.builder();
        configure.accept(builder);
        return new EmulatorFixture(builder.start(), dir);
    }

    public static EmulatorFixture start(Path dir) throws Exception {
        return start(dir, b -> {
        });
    }

    public KvConnectEmulator emulator() {
        return emulator;
    }

    public EmulatorAdmin admin() {
        return emulator.admin();
    }

    public Path dir() {
        return dir;
    }

    public Path tlsAnchors() {
        return tlsAnchors;
    }

    public Path smimeAnchors() {
        return smimeAnchors;
    }

    /** An account with a key, an issued certificate and a keystore (created on first use). */
    public Account account(String username) {
        return accounts.computeIfAbsent(username, u -> {
            try {
                admin().createAccount(EmulatorAccount.ready(u, PASSWORD));
                KeyPair keys = TestKeys.rsa();
                X509Certificate cert = admin().issueCertificate(u, keys.getPublic());
                Path keystore = TestKeys.keystore(dir.resolve(u + ".p12"), keys.getPrivate(),
                        List.of(cert, emulator.userCaCertificate(), emulator.rootCaCertificate()), PIN);
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
                .append("?serverUrl=").append(emulator.restBaseUri())
                .append("&username=").append(username)
                .append("&password=RAW(").append(PASSWORD).append(')')
                .append("&keystoreFile=").append(keystore)
                .append("&keystorePassword=RAW(").append(PIN).append(')')
                .append("&tlsTrustAnchors=").append(tlsAnchors)
                .append("&smimeTrustAnchors=").append(smimeAnchors)
                .append("&stateDirectory=").append(stateDirectory)
                .append("&ldapUrl=").append(emulator.ldapsUri());
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
        emulator.close();
    }
}
