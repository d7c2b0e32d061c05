package io.github.camelkvconnect.smime.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.spec.PBEParameterSpec;

import io.github.camelkvconnect.smime.SmimeCredentials;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The account's PKCS#12 keystore, protected by the user's PIN.
 * <p>
 * Loading returns {@link SmimeCredentials}. Saving protects key and certificates with PBES2
 * (PBEWithHmacSHA256AndAES_256, {@value #ITERATIONS} iterations) and replaces the file atomically
 * (owner-only temp file in the same directory, fsync, atomic move), so a crash never leaves a half-written
 * keystore. The PIN is never logged nor put into exception messages; copies made here are zeroed.
 * <p>
 * Certificate request flow: {@link #createPendingKey} generates a key and persists it at once under the
 * alias {@value #PENDING_ALIAS} with a self-signed placeholder certificate (so a crash does not lose the key
 * the CA is about to certify) and returns the CSR; {@link #installIssuedCertificate} later replaces the
 * placeholder by the issued certificate after checking that it belongs to the pending key.
 * <p>
 * Saving never discards other entries: the file is read (with the same PIN) and updated. When an alias is saved
 * again with another certificate, the entry it held is kept under a dated alias
 * ({@code previous-<alias>-<yyyyMMdd of its notAfter>-<serial hex>}), because mail already encrypted to the old
 * certificate (in flight, or waiting on the server) can only be decrypted with the old key. {@link #loadAll} returns
 * every key for decryption; {@link #removePreviousKeys} prunes the dated entries whose certificates expired long ago.
 */
public final class PinProtectedKeyStore {

    /** Alias of the key entry while its certificate request is pending. */
    public static final String PENDING_ALIAS = "pending-certificate-request";
    /** Alias under which an issued certificate is installed. */
    public static final String DEFAULT_ALIAS = "kvconnect";
    /** Prefix of the aliases under which replaced key entries are kept. */
    public static final String PREVIOUS_ALIAS_PREFIX = "previous-";
    /** PBKDF2 iteration count for saved keystores. */
    public static final int ITERATIONS = 10000;

    private static final String PROTECTION_ALGORITHM = "PBEWithHmacSHA256AndAES_256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path path;

    /** @param path location of the PKCS#12 file */
    public PinProtectedKeyStore(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /**
     * SHA-256 of the file's bytes, hex-encoded: changes whenever the keystore is saved with other content (a renewed
     * certificate, a new key), so holders of loaded keys can tell that they must load again. {@code "none"} if the file
     * does not exist (or is no regular file), {@code "unreadable"} if it cannot be read.
     */
    public String fingerprint() {
        if (!Files.isRegularFile(path)) {
            return "none";
        }
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Loads the credentials; the alias is chosen automatically if the keystore holds exactly one key entry. */
    public SmimeCredentials load(char[] pin) throws KeyStoreAccessException {
        return load(pin, null);
    }

    /** Loads the credentials of {@code alias} (or of the only key entry if {@code alias} is null). */
    public SmimeCredentials load(char[] pin, String alias) throws KeyStoreAccessException {
        try (InputStream in = Files.newInputStream(path)) {
            return load(in, path.toString(), pin, alias);
        } catch (NoSuchFileException e) {
            throw new KeyStoreAccessException("Keystore " + path + " does not exist; check the configured path");
        } catch (IOException e) {
            throw new KeyStoreAccessException("Cannot read keystore " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads credentials from a PKCS#12 stream.
     *
     * @param name  how the source is named in error messages
     * @param alias the key entry, or null to pick the only one
     */
    public static SmimeCredentials load(InputStream in, String name, char[] pin, String alias)
            throws KeyStoreAccessException {
        KeyStore keyStore = read(in, name, pin);
        try {
            String chosen = alias != null ? alias : currentAlias(keyStore, name);
            if (!keyStore.isKeyEntry(chosen)) {
                throw new KeyStoreAccessException("Keystore " + name + " has no private key entry '" + chosen + "'");
            }
            return credentials(keyStore, chosen, pin);
        } catch (UnrecoverableKeyException e) {
            throw new KeyStoreAccessException("Cannot unlock the key: wrong PIN or damaged keystore " + name);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreAccessException("Cannot read the key in keystore " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Saves key and chain (leaf first) under {@code alias}, replacing the file atomically. Other entries of an existing
     * keystore are kept; a different certificate (and key) that {@code alias} held is kept under a dated
     * {@value #PREVIOUS_ALIAS_PREFIX} alias. An existing keystore that does not open with {@code pin} is never replaced.
     */
    public void save(char[] pin, String alias, PrivateKey key, List<X509Certificate> chain)
            throws KeyStoreAccessException {
        update(pin, alias, key, chain, null);
    }

    /** Reads the keystore (or starts an empty one), puts the entry, removes {@code remove} (if not null), writes. */
    private void update(char[] pin, String alias, PrivateKey key, List<X509Certificate> chain, String remove)
            throws KeyStoreAccessException {
        KeyStore keyStore = existingOrEmpty(pin);
        try {
            if (!PENDING_ALIAS.equals(alias) && keyStore.isKeyEntry(alias)
                && !chain.get(0).equals(keyStore.getCertificate(alias))) {
                keep(keyStore, pin, alias);
            }
            setEntry(keyStore, pin, alias, key, chain.toArray(new Certificate[0]));
            if (remove != null && keyStore.containsAlias(remove)) {
                keyStore.deleteEntry(remove);
            }
            writeAtomically(keyStore, pin);
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreAccessException("Cannot save keystore " + path + ": " + e.getMessage(), e);
        }
    }

    /** Copies the entry of {@code alias} to its dated {@value #PREVIOUS_ALIAS_PREFIX} alias. */
    private static void keep(KeyStore keyStore, char[] pin, String alias) throws GeneralSecurityException {
        X509Certificate old = (X509Certificate) keyStore.getCertificate(alias);
        String kept = PREVIOUS_ALIAS_PREFIX + alias + "-"
                      + java.time.format.DateTimeFormatter.BASIC_ISO_DATE.withZone(java.time.ZoneOffset.UTC)
                              .format(old.getNotAfter().toInstant())
                      + "-" + old.getSerialNumber().toString(16);
        if (!keyStore.containsAlias(kept)) {
            setEntry(keyStore, pin, kept, (PrivateKey) keyStore.getKey(alias, pin), keyStore.getCertificateChain(alias));
        }
    }

    private static void setEntry(KeyStore keyStore, char[] pin, String alias, PrivateKey key, Certificate[] chain)
            throws GeneralSecurityException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(pin, PROTECTION_ALGORITHM,
                new PBEParameterSpec(salt, ITERATIONS));
        try {
            keyStore.setEntry(alias, new KeyStore.PrivateKeyEntry(key, chain), protection);
        } finally {
            destroy(protection);
        }
    }

    private KeyStore existingOrEmpty(char[] pin) throws KeyStoreAccessException {
        if (Files.exists(path)) {
            return existing(pin);
        }
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            return keyStore;
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreAccessException("Cannot create keystore " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every key of the keystore for decryption: the current one first (as {@link #load(char[])} picks it), then the
     * others, kept {@value #PREVIOUS_ALIAS_PREFIX} entries newest certificate first. A pending key (no certificate
     * yet) is left out.
     */
    public List<SmimeCredentials> loadAll(char[] pin) throws KeyStoreAccessException {
        return loadAll(pin, null);
    }

    /**
     * The key of {@code alias} and the keys kept when its certificate was renewed, for decryption: first the key of
     * {@code alias}, then its {@value #PREVIOUS_ALIAS_PREFIX}{@code <alias>-...} entries, newest certificate first
     * (other keys of the keystore, e.g. another account's, are left out). Null {@code alias}: {@link #loadAll(char[])}.
     */
    public List<SmimeCredentials> loadAll(char[] pin, String alias) throws KeyStoreAccessException {
        KeyStore keyStore = existing(pin);
        try {
            String current = alias != null ? alias : currentAlias(keyStore, path.toString());
            if (!keyStore.isKeyEntry(current)) {
                throw new KeyStoreAccessException("Keystore " + path + " has no private key entry '" + current + "'");
            }
            String keptPrefix = PREVIOUS_ALIAS_PREFIX + current + "-";
            List<SmimeCredentials> result = new ArrayList<>();
            result.add(credentials(keyStore, current, pin));
            List<SmimeCredentials> others = new ArrayList<>();
            for (String a : Collections.list(keyStore.aliases())) {
                if (keyStore.isKeyEntry(a) && !a.equals(current) && !a.equals(PENDING_ALIAS)
                    && (alias == null || a.startsWith(keptPrefix))) {
                    others.add(credentials(keyStore, a, pin));
                }
            }
            others.sort(java.util.Comparator.comparing((SmimeCredentials c) -> c.certificate().getNotAfter()).reversed());
            result.addAll(others);
            return result;
        } catch (UnrecoverableKeyException e) {
            throw new KeyStoreAccessException("Cannot unlock the key: wrong PIN or damaged keystore " + path);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreAccessException("Cannot read the keys in keystore " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the kept {@value #PREVIOUS_ALIAS_PREFIX} entries whose certificate expired before {@code expiredBefore}
     * (e.g. now minus the longest time a message may wait on the server), replacing the file atomically.
     *
     * @return the removed aliases (none: the file is not rewritten)
     */
    public List<String> removePreviousKeys(char[] pin, Instant expiredBefore) throws KeyStoreAccessException {
        KeyStore keyStore = existing(pin);
        try {
            List<String> removed = new ArrayList<>();
            for (String alias : Collections.list(keyStore.aliases())) {
                if (alias.startsWith(PREVIOUS_ALIAS_PREFIX) && keyStore.getCertificate(alias) instanceof X509Certificate c
                    && c.getNotAfter().toInstant().isBefore(expiredBefore)) {
                    keyStore.deleteEntry(alias);
                    removed.add(alias);
                }
            }
            if (!removed.isEmpty()) {
                writeAtomically(keyStore, pin);
            }
            return removed;
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreAccessException("Cannot prune keystore " + path + ": " + e.getMessage(), e);
        }
    }

    private KeyStore existing(char[] pin) throws KeyStoreAccessException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), pin);
        } catch (NoSuchFileException e) {
            throw new KeyStoreAccessException("Keystore " + path + " does not exist; check the configured path");
        } catch (IOException e) {
            throw new KeyStoreAccessException("Cannot read keystore " + path + ": " + e.getMessage(), e);
        }
    }

    private static SmimeCredentials credentials(KeyStore keyStore, String alias, char[] pin) throws GeneralSecurityException {
        PrivateKey key = (PrivateKey) keyStore.getKey(alias, pin);
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : keyStore.getCertificateChain(alias)) {
            chain.add((X509Certificate) c);
        }
        return new SmimeCredentials(key, chain);
    }

    /**
     * Generates an RSA-2048 key, stores it at once under {@link #PENDING_ALIAS} with a self-signed placeholder
     * certificate, and returns the PEM certificate request for {@code username}.
     */
    public String createPendingKey(char[] pin, String username) throws KeyStoreAccessException {
        KeyPair keyPair = KeyPairFactory.generateRsa();
        String csr = CsrFactory.createPem(username, keyPair);
        save(pin, PENDING_ALIAS, keyPair.getPrivate(), List.of(placeholder(keyPair, username)));
        return csr;
    }

    /**
     * Installs the certificate issued for the pending key, with the CA chain (PEM, may be null or empty),
     * under {@link #DEFAULT_ALIAS}, replacing the pending entry atomically (the certificate and key it replaces there
     * are kept under a dated {@value #PREVIOUS_ALIAS_PREFIX} alias).
     *
     * @return the new credentials
     * @throws KeyStoreAccessException if there is no pending key, the PIN is wrong, or the certificate does
     *                                 not belong to the pending key
     */
    public SmimeCredentials installIssuedCertificate(char[] pin, X509Certificate issued, String caChainPem)
            throws KeyStoreAccessException {
        SmimeCredentials pending = load(pin, PENDING_ALIAS);
        if (!Arrays.equals(pending.certificate().getPublicKey().getEncoded(), issued.getPublicKey().getEncoded())) {
            throw new KeyStoreAccessException("The issued certificate does not belong to this key (pending in "
                    + path + "); request a certificate for the CSR created with this keystore");
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issued);
        chain.addAll(parsePem(caChainPem));
        update(pin, DEFAULT_ALIAS, pending.privateKey(), chain, PENDING_ALIAS);
        return new SmimeCredentials(pending.privateKey(), chain);
    }

    private static List<X509Certificate> parsePem(String pem) throws KeyStoreAccessException {
        if (pem == null || pem.isBlank()) {
            return Collections.emptyList();
        }
        try {
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                result.add((X509Certificate) c);
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new KeyStoreAccessException("The CA chain is not valid PEM X.509: " + e.getMessage(), e);
        }
    }

    private static X509Certificate placeholder(KeyPair keyPair, String username) throws KeyStoreAccessException {
        X500Name subject = new X500Name("CN=PENDING certificate request placeholder, "
                + CsrFactory.subjectFor(username));
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, RANDOM), Date.from(now), Date.from(now.plus(Duration.ofDays(365))),
                    subject, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new KeyStoreAccessException("Cannot create the placeholder certificate: " + e.getMessage(), e);
        }
    }

    /** Zeroes the PIN copy held by {@code protection}. */
    private static void destroy(KeyStore.PasswordProtection protection) {
        try {
            protection.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
            // cannot happen for PasswordProtection, which simply zeroes its array
            throw new IllegalStateException("Cannot clear the PIN copy", e);
        }
    }

    private void writeAtomically(KeyStore keyStore, char[] pin) throws IOException, GeneralSecurityException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(dir, ".keystore-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".keystore-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                keyStore.store(out, pin);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static KeyStore read(InputStream in, String name, char[] pin) throws KeyStoreAccessException {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, pin);
            return keyStore;
        } catch (IOException e) {
            // PKCS12 reports a failed MAC check (wrong PIN) as IOException with an UnrecoverableKeyException cause
            throw new KeyStoreAccessException("Cannot open keystore: wrong PIN or damaged keystore " + name);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreAccessException("Cannot open keystore " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The current key entry: the only one apart from kept {@value #PREVIOUS_ALIAS_PREFIX} entries, else
     * {@link #DEFAULT_ALIAS}, else the only one apart from a pending request.
     */
    private static String currentAlias(KeyStore keyStore, String name)
            throws GeneralSecurityException, KeyStoreAccessException {
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias) && !alias.startsWith(PREVIOUS_ALIAS_PREFIX)) {
                keys.add(alias);
            }
        }
        if (keys.size() > 1 && keys.contains(DEFAULT_ALIAS)) {
            return DEFAULT_ALIAS;
        }
        if (keys.size() > 1) {
            keys.remove(PENDING_ALIAS);
        }
        if (keys.isEmpty()) {
            throw new KeyStoreAccessException("Keystore " + name
                    + " contains no private key entry (only certificates); use the keystore with your own key");
        }
        if (keys.size() > 1) {
            throw new KeyStoreAccessException("Keystore " + name + " contains " + keys.size()
                    + " private keys; configure the alias to use");
        }
        return keys.get(0);
    }
}
