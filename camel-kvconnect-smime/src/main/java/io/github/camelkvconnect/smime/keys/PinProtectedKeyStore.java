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
 */
public final class PinProtectedKeyStore {

    /** Alias of the key entry while its certificate request is pending. */
    public static final String PENDING_ALIAS = "pending-certificate-request";
    /** Alias under which an issued certificate is installed. */
    public static final String DEFAULT_ALIAS = "kvconnect";
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
            String chosen = alias != null ? alias : onlyKeyAlias(keyStore, name);
            if (!keyStore.isKeyEntry(chosen)) {
                throw new KeyStoreAccessException("Keystore " + name + " has no private key entry '" + chosen + "'");
            }
            PrivateKey key = (PrivateKey) keyStore.getKey(chosen, pin);
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : keyStore.getCertificateChain(chosen)) {
                chain.add((X509Certificate) c);
            }
            return new SmimeCredentials(key, chain);
        } catch (UnrecoverableKeyException e) {
            throw new KeyStoreAccessException("Cannot unlock the key: wrong PIN or damaged keystore " + name);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreAccessException("Cannot read the key in keystore " + name + ": " + e.getMessage(), e);
        }
    }

    /** Saves key and chain (leaf first) under {@code alias}, replacing the file atomically. */
    public void save(char[] pin, String alias, PrivateKey key, List<X509Certificate> chain)
            throws KeyStoreAccessException {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(pin, PROTECTION_ALGORITHM,
                    new PBEParameterSpec(salt, ITERATIONS));
            try {
                keyStore.setEntry(alias, new KeyStore.PrivateKeyEntry(key, chain.toArray(new Certificate[0])),
                        protection);
            } finally {
                destroy(protection);
            }
            writeAtomically(keyStore, pin);
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyStoreAccessException("Cannot save keystore " + path + ": " + e.getMessage(), e);
        }
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
     * under {@link #DEFAULT_ALIAS}, replacing the pending entry atomically.
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
        save(pin, DEFAULT_ALIAS, pending.privateKey(), chain);
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

    private static String onlyKeyAlias(KeyStore keyStore, String name)
            throws GeneralSecurityException, KeyStoreAccessException {
        List<String> keys = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                keys.add(alias);
            }
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
