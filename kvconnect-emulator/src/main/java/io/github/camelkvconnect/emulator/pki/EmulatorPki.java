package io.github.camelkvconnect.emulator.pki;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorException;

/**
 * The emulator's PKI, modelled on KV Telematik's: a Root CA and a User CA for the S/MIME user certificates, plus a
 * separate TLS CA for the HTTPS and LDAPS server certificate. The CAs are created at first start and, with a data
 * directory, kept in {@code pki/} (certificate and unencrypted key as PEM: this is a test server). The TLS server
 * certificate is issued fresh at every start.
 */
public final class EmulatorPki {

    private static final Logger LOG = LoggerFactory.getLogger(EmulatorPki.class);

    private static final String ORG = "camel-kvconnect KV-Connect Emulator";

    private final CertificateAuthority root;
    private final CertificateAuthority userCa;
    private final CertificateAuthority tlsCa;
    private final X509Certificate tlsServerCertificate;
    private final KeyPair tlsServerKeys;
    private final Clock clock;
    private final Duration userCertificateValidity;
    private final RevocationList rootCaRevocations;
    private final RevocationList userCaRevocations;
    /** Where the User CA's CRL is served; known only once the HTTP port is bound. Null: no CDP in certificates. */
    private volatile URI userCaCrlDistributionPoint;

    private EmulatorPki(CertificateAuthority root, CertificateAuthority userCa, CertificateAuthority tlsCa, Clock clock,
            Duration userCertificateValidity, RevocationList rootCaRevocations, RevocationList userCaRevocations) {
        this.root = root;
        this.userCa = userCa;
        this.tlsCa = tlsCa;
        this.clock = clock;
        this.userCertificateValidity = userCertificateValidity;
        this.rootCaRevocations = rootCaRevocations;
        this.userCaRevocations = userCaRevocations;
        this.tlsServerKeys = CertificateBuilder.ecP256();
        Instant now = clock.instant();
        this.tlsServerCertificate = CertificateBuilder.tlsServer(new X500Name("CN=localhost, O=" + ORG),
                tlsServerKeys.getPublic(), tlsCa, now.minus(1, ChronoUnit.HOURS), now.plus(825, ChronoUnit.DAYS));
    }

    /**
     * Loads the CAs from {@code dataDir/pki}, creating those that do not exist yet.
     *
     * @param dataDir                 the data directory, or null for CAs that live only as long as the emulator
     * @param clock                   the clock for validity periods
     * @param userCertificateValidity how long issued user certificates are valid
     * @param crlValidity             nextUpdate - thisUpdate of the CRLs of the Root CA and the User CA
     * @return the PKI
     */
    public static EmulatorPki loadOrCreate(Path dataDir, Clock clock, Duration userCertificateValidity,
            Duration crlValidity) {
        Path dir = dataDir == null ? null : dataDir.resolve("pki");
        Instant now = clock.instant();
        Instant from = now.minus(1, ChronoUnit.DAYS);
        // The two RSA CA keys are the slow part of a start; generate them in parallel.
        CompletableFuture<CertificateAuthority> rootFuture = CompletableFuture.supplyAsync(() -> load(dir, "root-ca")
                .orElseGet(() -> {
                    KeyPair keys = CertificateBuilder.rsa(2048);
                    X509Certificate cert = CertificateBuilder.selfSignedCa(
                            new X500Name("CN=KV-Connect Emulator Root CA, O=" + ORG + ", C=DE"), keys, from,
                            now.plus(20 * 365, ChronoUnit.DAYS), "SHA512withRSA");
                    return save(dir, "root-ca", new CertificateAuthority(cert, keys.getPrivate()));
                }));
        CompletableFuture<KeyPair> userKeys = CompletableFuture.supplyAsync(() -> CertificateBuilder.rsa(2048));
        CertificateAuthority tlsCa = load(dir, "tls-ca").orElseGet(() -> {
            KeyPair keys = CertificateBuilder.ecP256();
            X509Certificate cert = CertificateBuilder.selfSignedCa(
                    new X500Name("CN=KV-Connect Emulator TLS CA, O=" + ORG + ", C=DE"), keys, from,
                    now.plus(20 * 365, ChronoUnit.DAYS), "SHA256withECDSA");
            return save(dir, "tls-ca", new CertificateAuthority(cert, keys.getPrivate()));
        });
        CertificateAuthority root = rootFuture.join();
        CertificateAuthority userCa = load(dir, "user-ca").orElseGet(() -> {
            KeyPair keys = userKeys.join();
            X509Certificate cert = CertificateBuilder.subCa(
                    new X500Name("CN=KV-Connect Emulator User CA, O=" + ORG + ", C=DE"), keys.getPublic(), root, from,
                    now.plus(10 * 365, ChronoUnit.DAYS));
            return save(dir, "user-ca", new CertificateAuthority(cert, keys.getPrivate()));
        });
        userKeys.cancel(false);
        return new EmulatorPki(root, userCa, tlsCa, clock, userCertificateValidity,
                RevocationList.loadOrCreate("root-ca", root, dir, clock, crlValidity),
                RevocationList.loadOrCreate("user-ca", userCa, dir, clock, crlValidity));
    }

    /**
     * Issues a user certificate built from the account's master data (not from the CSR): subject
     * {@code emailAddress, UID, CN, O, C=DE}, SAN rfc822Name, KeyUsage digitalSignature + keyEncipherment, EKU
     * clientAuth + emailProtection, signed by the User CA with SHA-512/RSA.
     *
     * @param uid     the account uid (goes into the subject's UID)
     * @param account the master data
     * @param key     the subject public key
     * @return the certificate
     */
    public X509Certificate issueUserCertificate(String uid, EmulatorAccount account, PublicKey key) {
        String cn = joinName(account);
        String o = firstNonBlank(account.organisation(), account.kv(), "KV-Connect");
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "DE")
                .addRDN(BCStyle.O, o)
                .addRDN(BCStyle.CN, cn)
                .addRDN(BCStyle.UID, uid)
                .addRDN(BCStyle.EmailAddress, account.address())
                .build();
        Instant now = clock.instant();
        return CertificateBuilder.user(subject, account.address(), key, userCa, now.minus(5, ChronoUnit.MINUTES),
                now.plus(userCertificateValidity), userCaCrlDistributionPoint);
    }

    /**
     * Makes newly issued user certificates carry a CRLDistributionPoints extension pointing at {@code uri}. Real
     * KV-Connect certificates have none, so this is opt-in; certificates issued before keep their profile.
     *
     * @param uri the URL the User CA's CRL is served at, or null for no extension
     */
    public void userCaCrlDistributionPoint(URI uri) {
        this.userCaCrlDistributionPoint = uri;
    }

    /** @return the User CA's revoked certificates and CRL */
    public RevocationList userCaRevocations() { return userCaRevocations; }

    /** @return the Root CA's revoked certificates (CA certificates; normally none) and CRL */
    public RevocationList rootCaRevocations() { return rootCaRevocations; }

    /**
     * @param certificate a certificate
     * @return whether the User CA issued it (its signature verifies with the User CA's key)
     */
    public boolean issuedByUserCa(X509Certificate certificate) {
        if (!certificate.getIssuerX500Principal().equals(userCa.certificate().getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(userCa.certificate().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String joinName(EmulatorAccount a) {
        String given = a.givenName() == null ? "" : a.givenName().trim();
        String sur = a.surname() == null ? "" : a.surname().trim();
        String name = (given + " " + sur).trim();
        return name.isEmpty() ? a.username() : name;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }

    /** @return an SSL context serving the TLS server certificate and trusting the TLS CA */
    public SSLContext serverSslContext() {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            char[] pass = "emulator".toCharArray();
            keyStore.setKeyEntry("server", tlsServerKeys.getPrivate(), pass,
                    new Certificate[] {tlsServerCertificate, tlsCa.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, pass);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("tls-ca", tlsCa.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new EmulatorException("Cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** @return the Root CA certificate (S/MIME trust anchor) */
    public X509Certificate rootCertificate() { return root.certificate(); }

    /** @return the User CA certificate (issuer of user certificates) */
    public X509Certificate userCaCertificate() { return userCa.certificate(); }

    /** @return the TLS CA certificate (trust anchor for HTTPS and LDAPS) */
    public X509Certificate tlsCaCertificate() { return tlsCa.certificate(); }

    private static java.util.Optional<CertificateAuthority> load(Path dir, String name) {
        if (dir == null) {
            return java.util.Optional.empty();
        }
        Path cert = dir.resolve(name + ".crt.pem");
        Path key = dir.resolve(name + ".key.pem");
        if (!Files.exists(cert) || !Files.exists(key)) {
            return java.util.Optional.empty();
        }
        if (OwnerOnlyFiles.openToOthers(key)) {
            // written by an older emulator (0644): said, not changed behind the operator's back
            LOG.warn("The private key {} is readable by other users; restrict it with: chmod 600 {}", key, key);
        }
        try {
            return java.util.Optional.of(new CertificateAuthority(
                    Pem.certificate(Files.readString(cert, StandardCharsets.US_ASCII)),
                    Pem.privateKey(Files.readString(key, StandardCharsets.US_ASCII))));
        } catch (IOException | IllegalArgumentException e) {
            throw new EmulatorException("Cannot read the " + name + " from " + dir + ": " + e.getMessage()
                    + "; remove both " + name + " files to create a new CA (certificates it issued become untrusted)", e);
        }
    }

    private static CertificateAuthority save(Path dir, String name, CertificateAuthority ca) {
        if (dir == null) {
            return ca;
        }
        try {
            Files.createDirectories(dir);
            // the CA's private key: owner-only from its creation (the certificate next to it is public)
            OwnerOnlyFiles.write(dir.resolve(name + ".key.pem"), Pem.encode(ca.key()).getBytes(StandardCharsets.US_ASCII));
            Files.writeString(dir.resolve(name + ".crt.pem"), Pem.encode(ca.certificate()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new EmulatorException("Cannot write the " + name + " to " + dir + ": " + e.getMessage(), e);
        }
        return ca;
    }
}
