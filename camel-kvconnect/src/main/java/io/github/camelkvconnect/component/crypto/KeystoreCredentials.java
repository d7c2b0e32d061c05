package io.github.camelkvconnect.component.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectKeystoreException;
import io.github.camelkvconnect.smime.SmimeCredentials;
import io.github.camelkvconnect.smime.keys.KeyStoreAccessException;
import io.github.camelkvconnect.smime.keys.PinProtectedKeyStore;

/**
 * The account's key and certificate chain from its PIN-protected PKCS#12 keystore ({@link PinProtectedKeyStore}),
 * reloaded when the file changes (e.g. after {@code requestCertificate} or a manual key change): the file's SHA-256
 * fingerprint is compared on every access. Errors name the file, never the PIN.
 * <p>
 * Besides the current key, every other key of the keystore (the ones {@link PinProtectedKeyStore} kept when the
 * certificate was renewed) is loaded for decryption: mail encrypted to the old certificate may still arrive.
 */
public final class KeystoreCredentials {

    private static final Logger LOG = LoggerFactory.getLogger(KeystoreCredentials.class);

    private final Path keystore;
    private final char[] pin;
    private final PinProtectedKeyStore store;
    private String loadedFingerprint;
    private SmimeCredentials credentials;
    private List<SmimeCredentials> decryptionCredentials;

    public KeystoreCredentials(Path keystore, char[] pin) {
        this.keystore = keystore;
        this.pin = pin;
        this.store = keystore == null ? null : new PinProtectedKeyStore(keystore);
    }

    public Path keystore() {
        return keystore;
    }

    /** Whether a keystore is configured and its file exists (it may still fail to open). */
    public boolean exists() {
        return keystore != null && Files.exists(keystore);
    }

    /**
     * The fingerprint of the keystore file as it is now ({@link PinProtectedKeyStore#fingerprint()}, the change
     * detection the data format uses too); {@code "none"} without a keystore.
     */
    public String fingerprint() {
        return store == null ? "none" : store.fingerprint();
    }

    /**
     * The current credentials, reloaded if the keystore file changed since the last call.
     *
     * @throws KvConnectKeystoreException if there is no keystore or it cannot be opened
     */
    public synchronized SmimeCredentials get() throws KvConnectKeystoreException {
        if (keystore == null) {
            throw new KvConnectKeystoreException(null, "No keystore configured: set keystoreFile (PKCS#12) and "
                                                        + "keystorePassword (the PIN), or run operation requestCertificate to create one",
                    null);
        }
        String fp = fingerprint();
        if (credentials == null || !fp.equals(loadedFingerprint)) {
            credentials = load();
            decryptionCredentials = loadAll(credentials);
            loadedFingerprint = fp;
        }
        return credentials;
    }

    /**
     * Every key for decryption, the current one ({@link #get()}) first, then those kept from earlier certificates.
     *
     * @throws KvConnectKeystoreException if there is no keystore or it cannot be opened
     */
    public synchronized List<SmimeCredentials> decryptionCredentials() throws KvConnectKeystoreException {
        get();
        return decryptionCredentials;
    }

    /** All keys, the current one first; just the current one if the others cannot be read (never fails decryption). */
    private List<SmimeCredentials> loadAll(SmimeCredentials current) {
        List<SmimeCredentials> result = new ArrayList<>();
        result.add(current);
        try {
            for (SmimeCredentials c : store.loadAll(pin)) {
                if (!c.certificate().equals(current.certificate())) {
                    result.add(c);
                }
            }
        } catch (KeyStoreAccessException e) {
            LOG.warn("Only the current key of keystore {} is used for decryption, the others cannot be read: {}",
                    keystore, e.getMessage());
        }
        return List.copyOf(result);
    }

    /** The credentials if the keystore exists and opens, otherwise {@code null}. */
    public synchronized SmimeCredentials getIfPresent() {
        try {
            return exists() ? get() : null;
        } catch (KvConnectKeystoreException e) {
            return null;
        }
    }

    private SmimeCredentials load() throws KvConnectKeystoreException {
        if (!Files.exists(keystore)) {
            throw new KvConnectKeystoreException(keystore, "Keystore " + keystore + " does not exist: check keystoreFile, or "
                                                           + "run operation requestCertificate to create it",
                    null);
        }
        if (pin == null) {
            throw new KvConnectKeystoreException(keystore, "Keystore " + keystore + " needs a PIN: set the option "
                                                           + "keystorePassword (the PIN)",
                    null);
        }
        try {
            return store.load(pin);
        } catch (KeyStoreAccessException onlyKey) {
            // A keystore with several keys: the one requestCertificate writes is the account's.
            try {
                return store.load(pin, PinProtectedKeyStore.DEFAULT_ALIAS);
            } catch (KeyStoreAccessException ignore) {
                throw new KvConnectKeystoreException(keystore, onlyKey.getMessage() + ". Check keystoreFile and "
                                                               + "keystorePassword (the PIN); the account's key is the keystore's "
                                                               + "only private key, or the one named '"
                                                               + PinProtectedKeyStore.DEFAULT_ALIAS + "'",
                        onlyKey);
            }
        }
    }

    /**
     * Writes key and chain into the keystore file under the PIN, replacing it atomically. The key and certificate it
     * replaces stay in the keystore under a dated alias (see {@link PinProtectedKeyStore}), for decryption only.
     */
    public synchronized void store(PrivateKey key, List<X509Certificate> chain) throws KvConnectKeystoreException {
        try {
            Path dir = keystore.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            store.save(pin, PinProtectedKeyStore.DEFAULT_ALIAS, key, chain);
            credentials = null;
        } catch (KeyStoreAccessException | IOException e) {
            throw new KvConnectKeystoreException(keystore, "Cannot write keystore " + keystore + ": " + e.getMessage(), e);
        }
    }
}
