package io.github.camelkvconnect.examples.springboot;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * Ready accounts on the emulator, laid out as the example expects them: {@code <home>/account.p12} is the keystore
 * with the account's key and the certificate the emulator's user CA issued, protected by the PIN.
 */
final class TestAccounts {

    static final String PASSWORD = "Praxis7Secret";
    static final String PIN = "pin-0815-example";

    private final KvConnectEmulator emulator;
    private final Path tlsAnchors;
    private final Path smimeAnchors;

    TestAccounts(KvConnectEmulator emulator, Path dir) throws Exception {
        this.emulator = emulator;
        this.tlsAnchors = Files.writeString(dir.resolve("tls-ca.pem"), emulator.tlsCaCertificatePem());
        this.smimeAnchors = Files.writeString(dir.resolve("kv-cas.pem"),
                pem(emulator.rootCaCertificate()) + pem(emulator.userCaCertificate()));
    }

    /** Creates the account with key, certificate and {@code <home>/account.p12}. */
    void create(String username, Path home) throws Exception {
        emulator.admin().createAccount(EmulatorAccount.ready(username, PASSWORD));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate cert = emulator.admin().issueCertificate(username, keys.getPublic());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("kvconnect", keys.getPrivate(), PIN.toCharArray(),
                new X509Certificate[] { cert, emulator.userCaCertificate(), emulator.rootCaCertificate() });
        Files.createDirectories(home);
        try (OutputStream out = Files.newOutputStream(home.resolve("account.p12"))) {
            ks.store(out, PIN.toCharArray());
        }
    }

    Path tlsAnchors() {
        return tlsAnchors;
    }

    Path smimeAnchors() {
        return smimeAnchors;
    }

    private static String pem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
               + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
               + "\n-----END CERTIFICATE-----\n";
    }
}
