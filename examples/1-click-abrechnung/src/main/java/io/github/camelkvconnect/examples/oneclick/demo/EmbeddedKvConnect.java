package io.github.camelkvconnect.examples.oneclick.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * An embedded KV-Connect emulator (real HTTPS REST API, its own CAs) with ready accounts: for the demo run and the
 * tests. Each account gets an RSA key, a certificate from the emulator's user CA and a PIN-protected PKCS#12 keystore;
 * its {@link KvConnectConfiguration} points the {@code kvconnect} component at all of it. The passwords and PINs
 * are demo values for a throw-away in-memory server.
 */
public final class EmbeddedKvConnect implements AutoCloseable {

    static final String PASSWORD = "Demo1234AB";
    static final String PIN = "demo-pin-4711";

    private final KvConnectEmulator emulator;
    private final Path dir;
    private final Path tlsAnchors;
    private final Path smimeAnchors;

    private EmbeddedKvConnect(KvConnectEmulator emulator, Path dir) throws IOException, CertificateEncodingException {
        this.emulator = emulator;
        this.dir = dir;
        Files.createDirectories(dir);
        this.tlsAnchors = Files.writeString(dir.resolve("tls-ca.pem"), emulator.tlsCaCertificatePem());
        this.smimeAnchors = Files.writeString(dir.resolve("smime-anchors.pem"),
                pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()));
    }

    /** Starts an in-memory emulator on free ports; keystores and trust anchors are written to {@code dir}. */
    public static EmbeddedKvConnect start(Path dir) throws IOException, CertificateEncodingException {
        KvConnectEmulator emulator = KvConnectEmulator.builder().start();
        try {
            return new EmbeddedKvConnect(emulator, dir);
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    public KvConnectEmulator emulator() {
        return emulator;
    }

    /** Creates a ready account (password set, certificate issued, keystore written) and returns its configuration. */
    public KvConnectConfiguration createAccount(String username) throws IOException, GeneralSecurityException {
        emulator.admin().createAccount(EmulatorAccount.ready(username, PASSWORD));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate cert = emulator.admin().issueCertificate(username, keys.getPublic());
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        keystore.load(null, null);
        keystore.setKeyEntry("kvconnect", keys.getPrivate(), PIN.toCharArray(),
                new X509Certificate[] { cert, emulator.userCaCertificate(), emulator.rootCaCertificate() });
        Path keystoreFile = dir.resolve(username + ".p12");
        try (OutputStream out = Files.newOutputStream(keystoreFile)) {
            keystore.store(out, PIN.toCharArray());
        }
        KvConnectConfiguration c = new KvConnectConfiguration();
        c.setServerUrl(emulator.restBaseUri().toString());
        c.setUsername(username);
        c.setPassword(PASSWORD);
        c.setKeystoreFile(keystoreFile.toString());
        c.setKeystorePassword(PIN);
        c.setTlsTrustAnchors(tlsAnchors.toString());
        c.setSmimeTrustAnchors(smimeAnchors.toString());
        c.setStateDirectory(dir.resolve("state-" + username).toString());
        return c;
    }

    /** The KV-Connect address of a user name on the emulator. */
    public static String address(String username) {
        return username + "@" + EmulatorAccount.DOMAIN;
    }

    @Override
    public void close() {
        emulator.close();
    }

    private static String pem(X509Certificate cert) throws CertificateEncodingException {
        return "-----BEGIN CERTIFICATE-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
               + "\n-----END CERTIFICATE-----\n";
    }
}
