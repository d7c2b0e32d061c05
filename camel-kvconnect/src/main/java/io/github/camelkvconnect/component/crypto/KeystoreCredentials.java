package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.camelkvconnect.smime.SmimeCredentials;

/**
 * Loads the account's key and certificate chain from its PIN-protected PKCS#12 keystore, and reloads it when the file
 * changes (e.g. after {@code requestCertificate} or a manual key change). Error messages never contain the PIN.
 */
public final class KeystoreCredentials {

    private final Path keystore;
    private final char[] pin;
    private String loadedFingerprint;
    private SmimeCredentials credentials;

    public KeystoreCredentials(Path keystore, char[] pin) {
        this.keystore = keystore;
        this.pin = pin;
    }

    public Path keystore() {
        return keystore;
    }

    /** The fingerprint of the keystore file as it is now. */
    public String fingerprint() {
        return io.github.camelkvconnect.component.state.StateFiles.fingerprint(keystore);
    }

    /** The current credentials, reloaded if the keystore file changed since the last call. */
    public synchronized SmimeCredentials get() throws IOException {
        if (keystore == null) {
            throw new IOException("No keystore configured: set keystoreFile (PKCS#12) and keystorePassword (the PIN), or run operation "
                                  + "requestCertificate to create one");
        }
        String fp = fingerprint();
        if (credentials == null || !fp.equals(loadedFingerprint)) {
            credentials = load(keystore, pin);
            loadedFingerprint = fp;
        }
        return credentials;
    }

    /** The credentials if the keystore exists and opens, otherwise {@code null}. */
    public synchronized SmimeCredentials getIfPresent() {
        try {
            return keystore != null && Files.exists(keystore) ? get() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static SmimeCredentials load(Path file, char[] pin) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("Keystore " + file + " does not exist or is not readable");
        }
        if (pin == null) {
            throw new IOException("Keystore " + file + " needs a PIN: set the option keystorePassword (the PIN)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pin);
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, pin);
                Certificate[] chain = ks.getCertificateChain(alias);
                if (key instanceof PrivateKey pk && chain != null && chain.length > 0) {
                    List<X509Certificate> certs = new ArrayList<>();
                    for (Certificate c : chain) {
                        certs.add((X509Certificate) c);
                    }
                    return new SmimeCredentials(pk, certs);
                }
            }
            throw new IOException("Keystore " + file + " holds no private key with a certificate: request a certificate "
                                  + "(operation requestCertificate) or import the issued certificate with its key");
        } catch (UnrecoverableKeyException e) {
            throw new IOException("The PIN does not open the key in keystore " + file, e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new IOException("The PIN does not open keystore " + file + " (wrong PIN or not a PKCS#12 file)", e);
            }
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot read keystore " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes key and chain into the keystore file under the PIN (atomically replacing the file). */
    public synchronized void store(PrivateKey key, List<X509Certificate> chain) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("kvconnect", key, pin, chain.toArray(new X509Certificate[0]));
            Path dir = keystore.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = io.github.camelkvconnect.component.mime.TempFiles.create(dir, ".keystore-", ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                ks.store(out, pin);
            }
            Files.move(tmp, keystore, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            credentials = null;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot write keystore " + keystore + ": " + e.getMessage(), e);
        }
    }
}
