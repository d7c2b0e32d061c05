package io.github.camelkvconnect.smime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decrypts and verifies transport messages (KV-Connect and/or KIM). Finds the RecipientInfo of the configured key among
 * all of them, unwraps nested layers (a complete KV-Connect message inside a signed part, as in the real reference
 * vector), and reports the signature check as a {@link VerificationResult} without throwing. Every decryption problem
 * raises {@link SmimeDecryptionException} with a {@link DecryptionFailure} reason.
 * <p>
 * KIM with ECC (newer TI cards): a KeyAgreeRecipientInfo (ECDH, AES key wrap) is opened with an EC key as a
 * KeyTransRecipientInfo is with an RSA key, with the same reasons on failure and the same cap on entries; ECDSA
 * signatures are verified under the profile's {@link AlgorithmPolicy#ellipticCurves() curves}.
 * <p>
 * Content is streamed through owner-only temporary files in {@link Builder#workDirectory(Path)}; the result owns the
 * last one and deletes it on close. Small messages ({@link Builder#inMemoryBytes(long)}) are read in memory and need no
 * file. Thread-safe; build once and reuse.
 * <p>
 * The work is split among package-private classes: {@link LayerWalker} unwraps the layers of one read,
 * {@link EnvelopeDecryptor} selects our RecipientInfo and decrypts, {@link SignatureVerifier} checks a layer's
 * signature (with {@link SignerAddressCheck}), and {@link LayerVerdicts} combines the layers' results.
 */
public final class SmimeReader {

    private final SmimeLimits limits;
    private final Path workDirectory;
    private final long inMemoryBytes;
    private final EnvelopeDecryptor decryptor;
    private final SignatureVerifier verifier;
    /** The addresses the account receives at, lower case ({@link Builder#recipientAddresses}); may be empty. */
    private final Set<String> ownAddresses;

    private SmimeReader(Builder b) {
        if (b.privateKey == null) {
            throw new IllegalStateException("credentials or a private key are required to decrypt");
        }
        List<SmimeProfile> profiles = List.copyOf(b.profiles);
        Map<SmimeProfile, AlgorithmPolicy> policies = new EnumMap<>(b.policies);
        List<DecryptionKey> keys = new ArrayList<>();
        keys.add(DecryptionKey.of(b.privateKey, b.ownCertificate));
        for (SmimeCredentials previous : b.previousCredentials) {
            if (!previous.certificate().equals(b.ownCertificate)) {
                keys.add(DecryptionKey.of(previous.privateKey(), previous.certificate()));
            }
        }
        this.ownAddresses = Set.copyOf(b.recipientAddresses);
        this.limits = b.limits;
        this.workDirectory = b.workDirectory;
        this.inMemoryBytes = b.inMemoryBytes;
        // a provider without the RSA services used fails here, when the writer/reader is built, not on a message
        RsaOperations rsa = RsaOperations.on(b.rsaProvider == null ? null : RsaProviders.requireRsaServices(b.rsaProvider));
        this.decryptor = new EnvelopeDecryptor(profiles, policies, List.copyOf(keys), limits, rsa);
        this.verifier = new SignatureVerifier(profiles, policies, List.copyOf(b.trustAnchors),
                List.copyOf(b.intermediates), List.copyOf(b.crls), b.validationTime, b.clock, rsa,
                b.pathCache != null ? b.pathCache : new CertificatePathCache(), limits);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * With our own certificate(s) configured and none named by a RecipientInfo, at most this many RecipientInfos are
     * trial-decrypted (e.g. a certificate re-issued for the same key): each trial is an RSA private-key operation, and
     * a hostile message may carry hundreds of bogus entries.
     */
    static final int MAX_TRIALS_WITH_CERTIFICATE = 3;

    /** Reads a transport message from a stream (spooled to an owner-only temporary file first; the stream is not closed). */
    public DecryptedMessage read(InputStream transport) throws SmimeException, IOException {
        Path spool = TempFiles.create(workDirectory, "in-");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 64 * 1024)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = transport.read(buf)) != -1) {
                    total += n;
                    if (total > limits.maxMessageBytes()) {
                        throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The message is larger than "
                                + limits.maxMessageBytes() + " bytes (limit maxMessageBytes); it is refused");
                    }
                    out.write(buf, 0, n);
                }
            }
            return read(spool);
        } finally {
            TempFiles.deleteQuietly(spool);
        }
    }

    /**
     * Decrypts and verifies the transport message in {@code transport} (left untouched).
     *
     * @throws SmimeDecryptionException the message cannot be decrypted or is malformed or over a limit; for any input,
     *                                   also where a parser fails unexpectedly ({@link DecryptionFailure#CORRUPT_DATA})
     * @throws IOException               reading {@code transport} or writing temporary files failed
     */
    public DecryptedMessage read(Path transport) throws SmimeException, IOException {
        if (Files.size(transport) > limits.maxMessageBytes()) {
            throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "The message is larger than "
                    + limits.maxMessageBytes() + " bytes (limit maxMessageBytes); it is refused");
        }
        LayerWalker walker = new LayerWalker(limits, workDirectory, Files.size(transport) <= inMemoryBytes, decryptor,
                verifier, ownAddresses);
        boolean success = false;
        try {
            DecryptedMessage result = walker.run(transport);
            success = true;
            return result;
        } catch (RuntimeException | StackOverflowError e) {
            // a parser's unchecked failure on hostile input: the caller gets the one documented type, so the message is
            // set aside like every unreadable one instead of ending the caller's loop
            throw UnexpectedParserFailure.of(e);
        } finally {
            if (!success) {
                walker.deleteTemporaryFiles();
            }
        }
    }

    /** Default of {@link Builder#inMemoryBytes(long)}. */
    public static final long DEFAULT_IN_MEMORY_BYTES = 1024 * 1024;

    /** Configures a {@link SmimeReader}. */
    public static final class Builder {
        private final Set<SmimeProfile> profiles = new LinkedHashSet<>();
        private final Map<SmimeProfile, AlgorithmPolicy> policies = new EnumMap<>(SmimeProfile.class);
        private PrivateKey privateKey;
        private X509Certificate ownCertificate;
        private List<SmimeCredentials> previousCredentials = List.of();
        private Collection<X509Certificate> trustAnchors = List.of();
        private Collection<X509Certificate> intermediates = List.of();
        private Collection<java.security.cert.X509CRL> crls = List.of();
        private Instant validationTime;
        private Clock clock = Clock.systemUTC();
        private SmimeLimits limits = SmimeLimits.defaults();
        private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private java.security.Provider rsaProvider;
        private long inMemoryBytes = DEFAULT_IN_MEMORY_BYTES;
        private CertificatePathCache pathCache;
        private Set<String> recipientAddresses = Set.of();

        private Builder() {
            for (SmimeProfile p : SmimeProfile.values()) {
                policies.put(p, p.defaultPolicy());
            }
        }

        /** Profiles accepted, in order of preference; default {@link SmimeProfile#KVCONNECT} only. */
        public Builder profiles(SmimeProfile... accepted) {
            profiles.clear();
            profiles.addAll(List.of(accepted));
            return this;
        }

        /** Replaces a profile's algorithm policy. */
        public Builder policy(SmimeProfile profile, AlgorithmPolicy policy) {
            policies.put(profile, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Our key and certificate: the RecipientInfo naming the certificate is used. An RSA key opens key-transport
         * entries; an EC key (KIM, ECC cards) opens the ECDH key-agreement entry naming the certificate.
         */
        public Builder credentials(SmimeCredentials credentials) {
            this.privateKey = credentials.privateKey();
            this.ownCertificate = credentials.certificate();
            return this;
        }

        /**
         * Only a private key, certificate unknown: every RecipientInfo the key can open is tried (key transport for an
         * RSA key, key agreement for an EC key; failures are reported uniformly as
         * {@link DecryptionFailure#NO_MATCHING_RECIPIENT}). Clears {@link #previousCredentials}.
         */
        public Builder privateKey(PrivateKey key) {
            this.privateKey = Objects.requireNonNull(key, "key");
            this.ownCertificate = null;
            this.previousCredentials = List.of();
            return this;
        }

        /**
         * Our earlier keys and certificates (e.g. from before a certificate renewal, see
         * {@code PinProtectedKeyStore.loadAll}): a message whose RecipientInfo names one of these certificates is
         * decrypted with that key, so mail encrypted to the old certificate is not lost. Used for decryption only; the
         * {@link #credentials current credentials} are preferred when a message names several of ours.
         */
        public Builder previousCredentials(Collection<SmimeCredentials> previous) {
            this.previousCredentials = List.copyOf(previous);
            return this;
        }

        /** CA certificates the signer must chain to. Empty: every signer is reported UNTRUSTED_CHAIN. */
        public Builder trustAnchors(Collection<X509Certificate> anchors) {
            this.trustAnchors = List.copyOf(anchors);
            return this;
        }

        /** Extra intermediate CA certificates for path building (besides those in the message). */
        public Builder intermediates(Collection<X509Certificate> certificates) {
            this.intermediates = List.copyOf(certificates);
            return this;
        }

        /**
         * Certificate revocation lists (see {@link Crls#read}) to check the signer's certificate path against: a
         * certificate listed in a current CRL of its issuer makes the result {@link VerificationStatus#REVOKED}.
         * Certificates whose issuer has no CRL here are not checked. Default none: revocation is not checked.
         */
        public Builder crls(Collection<java.security.cert.X509CRL> crls) {
            this.crls = List.copyOf(crls);
            return this;
        }

        /**
         * Validate certificates at this instant instead of now (archive checks of old messages). The signer's claimed
         * signingTime is never used.
         */
        public Builder validationTime(Instant instant) {
            this.validationTime = instant;
            return this;
        }

        /** Clock for "now"; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder limits(SmimeLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Where owner-only temporary files are created; default {@code java.io.tmpdir}. */
        public Builder workDirectory(Path directory) {
            this.workDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * JCA provider for the RSA operations: the key unwrap (PKCS#1 v1.5 or OAEP) and the verification of PKCS#1
         * v1.5 signatures. ECDH and ECDSA (KIM with ECC cards) always run on Bouncy Castle, whatever is set here.
         * Null (default): Bouncy Castle. A native provider such as the Amazon Corretto Crypto
         * Provider ({@link RsaProviders#accelerated()}) is several times faster. The key must be one the provider
         * accepts (a software RSA key).
         * {@link #build()} checks that the provider offers the RSA services used
         * ({@link RsaProviders#requireRsaServices}) and throws {@link UnsuitableRsaProviderException} otherwise.
         */
        public Builder rsaProvider(java.security.Provider provider) {
            this.rsaProvider = provider;
            return this;
        }

        /**
         * Transport messages up to this many bytes (default 1 MiB) are decrypted and verified in memory: their
         * intermediate layers (CMS, decrypted MIME, signed content) and the business entity never touch the disk; the
         * {@link DecryptedMessage} keeps the entity (at most this size) in memory until closed and writes an
         * owner-only temporary file only if {@link DecryptedMessage#entityFile()} is called. A layer is never larger
         * than the message, so one read holds a few times this much at most. Larger messages stream through
         * owner-only temporary files. 0: always files.
         */
        public Builder inMemoryBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("inMemoryBytes must not be negative");
            }
            this.inMemoryBytes = bytes;
            return this;
        }

        /**
         * Remember accepted certificate paths in this cache, shared with other readers and writers (e.g. the ones an
         * application builds per message), instead of in one of this reader's own. See {@link CertificatePathCache}
         * for when a remembered path is used; with {@link #crls} it is not. Null (default): a cache of this reader.
         */
        public Builder pathCache(CertificatePathCache cache) {
            this.pathCache = cache;
            return this;
        }

        /**
         * The addresses this account receives mail at (e.g. the KV-Connect or KIM address of the mailbox). A signed
         * inner mail (KIM) whose signed recipients - the signed recipient-emails attribute, else the signed To and Cc
         * - name none of them is reported {@link VerificationStatus#RECIPIENT_MISMATCH}: one of its real recipients
         * may have re-encrypted it to this account (surreptitious forwarding, catalogue R16). Default none: not
         * checked (a certificate's address is no substitute: KIM's SMC-B certificates carry none, or another one).
         */
        public Builder recipientAddresses(Collection<String> addresses) {
            Set<String> lower = new java.util.TreeSet<>();
            for (String a : addresses) {
                lower.add(a.strip().toLowerCase(java.util.Locale.ROOT));
            }
            this.recipientAddresses = Set.copyOf(lower);
            return this;
        }

        public SmimeReader build() {
            if (profiles.isEmpty()) {
                profiles.add(SmimeProfile.KVCONNECT);
            }
            return new SmimeReader(this);
        }
    }
}
