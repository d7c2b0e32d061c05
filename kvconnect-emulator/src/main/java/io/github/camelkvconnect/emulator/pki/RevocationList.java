package io.github.camelkvconnect.emulator.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.emulator.EmulatorException;
import io.github.camelkvconnect.emulator.RevocationReason;
import io.github.camelkvconnect.emulator.RevokedCertificate;

/**
 * One CA's revoked certificates and the complete X.509 v2 CRL it signs over them (RFC 5280 §5): issuer = the CA's
 * subject, thisUpdate/nextUpdate, one entry per revoked serial with a reasonCode entry extension (left out for
 * "unspecified"), and the CRL extensions cRLNumber (strictly increasing) and authorityKeyIdentifier (the CA's key id).
 * <p>
 * A new CRL is issued at start, on every revocation, on request, and when the current one has used up half of its
 * validity by the time it is asked for (so a served CRL is never stale). With a data directory every CRL is written as
 * DER to {@code pki/<ca>.crl} (temporary file + atomic rename, so readers never see half a CRL), and that file is also
 * the persistent state: at start the entries and the last CRL number are read back from it. Thread-safe.
 */
public final class RevocationList {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);

    private final String name;
    private final CertificateAuthority ca;
    private final Path file;
    private final Clock clock;
    private final Duration validity;
    private final Map<BigInteger, RevokedCertificate> entries = new LinkedHashMap<>();
    private BigInteger number = BigInteger.ZERO;
    private X509CRL current;

    private RevocationList(String name, CertificateAuthority ca, Path file, Clock clock, Duration validity) {
        this.name = name;
        this.ca = ca;
        this.file = file;
        this.clock = clock;
        this.validity = validity;
    }

    /**
     * Reads the CA's previous CRL from {@code dir} (if any) and issues a fresh one.
     *
     * @param name     the CA's file name stem, e.g. {@code user-ca}
     * @param ca       the CA
     * @param dir      the PKI directory, or null to keep the CRL in memory
     * @param clock    the clock for thisUpdate, nextUpdate and revocation dates
     * @param validity nextUpdate - thisUpdate
     * @return the list
     * @throws EmulatorException if a CRL file exists but cannot be read (the message says how to recover)
     */
    static RevocationList loadOrCreate(String name, CertificateAuthority ca, Path dir, Clock clock, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new EmulatorException("The CRL validity must be positive, not " + validity);
        }
        RevocationList list = new RevocationList(name, ca, dir == null ? null : dir.resolve(name + ".crl"), clock,
                validity);
        if (list.file != null && Files.exists(list.file)) {
            list.readPrevious();
        }
        list.issue();
        return list;
    }

    private void readPrevious() {
        X509CRLHolder previous;
        try {
            previous = new X509CRLHolder(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new EmulatorException("Cannot read the CRL " + file + " (" + e.getMessage() + "); it holds the "
                    + "certificates the " + name + " revoked. Restore it, or delete it to start with no revocations", e);
        }
        boolean ours;
        try {
            ours = previous.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.certificate()));
        } catch (Exception e) {
            ours = false;
        }
        if (!ours) {
            // The CA was created anew (its files deleted); the old CA's revocations mean nothing for the new one.
            LOG.warn("The CRL {} was not signed by the current {}; starting with no revocations", file, name);
            return;
        }
        Extension crlNumber = previous.getExtension(Extension.cRLNumber);
        if (crlNumber != null) {
            number = CRLNumber.getInstance(crlNumber.getParsedValue()).getCRLNumber();
        }
        for (Object o : previous.getRevokedCertificates()) {
            X509CRLEntryHolder entry = (X509CRLEntryHolder) o;
            Extension reason = entry.getExtension(Extension.reasonCode);
            RevocationReason r = reason == null ? RevocationReason.UNSPECIFIED
                    : RevocationReason.ofCode(CRLReason.getInstance(reason.getParsedValue()).getValue().intValue());
            entries.put(entry.getSerialNumber(),
                    new RevokedCertificate(entry.getSerialNumber(), entry.getRevocationDate().toInstant(), r));
        }
    }

    /**
     * Revokes a serial number and issues a new CRL. A serial that is already revoked keeps its first entry (date and
     * reason) and no CRL is issued.
     *
     * @param serial the certificate's serial number
     * @param reason why
     * @return the entry
     */
    public synchronized RevokedCertificate revoke(BigInteger serial, RevocationReason reason) {
        RevokedCertificate existing = entries.get(serial);
        if (existing != null) {
            return existing;
        }
        RevokedCertificate entry = new RevokedCertificate(serial, clock.instant().truncatedTo(ChronoUnit.SECONDS),
                reason);
        entries.put(serial, entry);
        issue();
        return entry;
    }

    /**
     * @param serial a serial number
     * @return its entry, if revoked
     */
    public synchronized Optional<RevokedCertificate> entry(BigInteger serial) {
        return Optional.ofNullable(entries.get(serial));
    }

    /** @return all entries, in the order of revocation */
    public synchronized List<RevokedCertificate> entries() {
        return List.copyOf(entries.values());
    }

    /** @return the current CRL, issuing a new one first if half of its validity has passed */
    public synchronized X509CRL current() {
        refreshIfDue();
        return current;
    }

    /** @return the file the CRL is written to, if the emulator has a data directory */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    private void refreshIfDue() {
        Instant thisUpdate = current.getThisUpdate().toInstant();
        if (!clock.instant().isBefore(thisUpdate.plus(validity.dividedBy(2)))) {
            issue();
        }
    }

    /**
     * Issues a new CRL now (next CRL number) and writes it.
     *
     * @return the new CRL
     */
    public synchronized X509CRL issue() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        BigInteger next = number.add(BigInteger.ONE);
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(now));
        builder.setNextUpdate(Date.from(now.plus(validity)));
        try {
            for (RevokedCertificate e : entries.values()) {
                ExtensionsGenerator entryExtensions = new ExtensionsGenerator();
                if (e.reason() != RevocationReason.UNSPECIFIED) {
                    // RFC 5280 §5.3.1: the reasonCode "unspecified" SHOULD be absent rather than present.
                    entryExtensions.addExtension(Extension.reasonCode, false, CRLReason.lookup(e.reason().code()));
                }
                builder.addCRLEntry(e.serialNumber(), Date.from(e.revocationDate()),
                        entryExtensions.isEmpty() ? null : entryExtensions.generate());
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(next));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier());
            X509CRLHolder holder = builder.build(new JcaContentSignerBuilder(signatureAlgorithm()).build(ca.key()));
            X509CRL crl = new JcaX509CRLConverter().getCRL(holder);
            byte[] der = crl.getEncoded();
            write(der);
            number = next;
            current = crl;
            return crl;
        } catch (IOException | CRLException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new EmulatorException("Cannot issue the CRL of the " + name + ": " + e.getMessage(), e);
        }
    }

    private AuthorityKeyIdentifier authorityKeyIdentifier() throws IOException {
        byte[] ski = ca.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = ASN1OctetString.getInstance(
                    ASN1OctetString.getInstance(ski).getOctets()).getOctets();
            return new AuthorityKeyIdentifier(keyId);
        }
        try {
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate().getPublicKey());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("SHA-1 is not available for the key identifier", e);
        }
    }

    private String signatureAlgorithm() {
        // The emulator's S/MIME CAs are RSA and sign certificates with SHA-512 (domain reference §6.4); CRLs alike.
        return "EC".equals(ca.key().getAlgorithm()) ? "SHA256withECDSA" : "SHA512withRSA";
    }

    private void write(byte[] der) throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, der);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "RevocationList[" + name + "]";
    }
}
