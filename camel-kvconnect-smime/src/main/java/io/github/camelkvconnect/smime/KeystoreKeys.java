package io.github.camelkvconnect.smime;

import java.util.List;

import io.github.camelkvconnect.smime.keys.KeyStoreAccessException;
import io.github.camelkvconnect.smime.keys.PinProtectedKeyStore;

/**
 * The data format's own keys from a PIN-protected keystore, loaded again when the file's content changes (a renewed
 * certificate saved into it, e.g. by the component's {@code requestCertificate}), so the next message uses them without a
 * restart. Change detection is the keystore's SHA-256 {@link PinProtectedKeyStore#fingerprint()}, as in the component;
 * keystores are replaced atomically on save, so a changed file is never read half-written.
 * <p>
 * A changed file that does not load (wrong PIN, damaged, key gone) fails every call with {@link KeyStoreAccessException}
 * until the file changes again: the keys read before belong to a file the operator has replaced, so they are not used
 * silently. Thread-safe.
 */
final class KeystoreKeys {

    /** Own keys: {@code current} signs and decrypts first, {@code previous} (newest first) decrypt only. */
    record OwnKeys(SmimeCredentials current, List<SmimeCredentials> previous) {
    }

    private final PinProtectedKeyStore store;
    private final char[] pin;
    private final String alias;
    private OwnKeys keys;
    private String loadedFingerprint;
    private String failedFingerprint;
    private KeyStoreAccessException failure;

    private KeystoreKeys(PinProtectedKeyStore store, char[] pin, String alias) {
        this.store = store;
        // a copy: the caller may wipe its array once configured
        this.pin = pin == null ? null : pin.clone();
        this.alias = alias;
    }

    /**
     * Loads the keys now (a keystore that does not open fails here, at configuration).
     *
     * @param alias the key entry (null: the keystore's current key, see {@link PinProtectedKeyStore#load(char[])})
     */
    static KeystoreKeys load(PinProtectedKeyStore store, char[] pin, String alias) throws KeyStoreAccessException {
        KeystoreKeys k = new KeystoreKeys(store, pin, alias);
        k.current();
        return k;
    }

    /**
     * The keys as the file is now: the same instance as before unless the file's content changed.
     *
     * @throws KeyStoreAccessException the changed file does not load (the message names it, never the PIN)
     */
    synchronized OwnKeys current() throws KeyStoreAccessException {
        // fingerprint before loading: a change during the load shows as a changed fingerprint at the next call
        String fingerprint = store.fingerprint();
        if (keys != null && fingerprint.equals(loadedFingerprint)) {
            return keys;
        }
        if (failure != null && fingerprint.equals(failedFingerprint)) {
            throw failure; // unchanged since it failed: no PIN-derived key computation per message
        }
        try {
            List<SmimeCredentials> all = store.loadAll(pin, alias);
            keys = new OwnKeys(all.get(0), List.copyOf(all.subList(1, all.size())));
            loadedFingerprint = fingerprint;
            failure = null;
            failedFingerprint = null;
            return keys;
        } catch (KeyStoreAccessException e) {
            failure = keys == null ? e
                    : new KeyStoreAccessException(e.getMessage() + " (kvconnectSmime keystore, changed since it was "
                                                  + "last loaded). Restore the keystore file or save it again with the "
                                                  + "configured PIN; until then marshal and unmarshal fail rather than "
                                                  + "use keys of a replaced keystore.", e);
            failedFingerprint = fingerprint;
            throw failure;
        }
    }
}
