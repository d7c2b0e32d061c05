package io.github.camelkvconnect.smime;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Certificate path validation and key-usage rules shared by the writer (encryption) and the reader (signers). */
final class CertificateChecks {

    /** One provider instance, used explicitly (never installed globally, so the host application stays untouched). */
    static final Provider BC = new BouncyCastleProvider();

    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EKU = "2.5.29.37.0";
    private static final int MAX_PATH = 8;

    private CertificateChecks() {
    }

    /** The certificate's e-mail address: SAN rfc822Name, else subject emailAddress; null if none. */
    static String emailOf(X509Certificate cert) {
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(1).equals(san.get(0))) {
                        return String.valueOf(san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // fall back to the subject
        }
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (ASN1ObjectIdentifier oid : new ASN1ObjectIdentifier[] { BCStyle.EmailAddress }) {
            for (RDN rdn : name.getRDNs(oid)) {
                if (rdn.getFirst().getValue() instanceof ASN1String s) {
                    return s.getString();
                }
            }
        }
        return null;
    }

    /** Every address of the certificate (all SAN rfc822Names and subject emailAddresses), lower case. */
    static Set<String> emailsOf(X509Certificate cert) {
        Set<String> result = new HashSet<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(1).equals(san.get(0))) {
                        result.add(String.valueOf(san.get(1)).toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // ignore, the subject may still name the address
        }
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs(BCStyle.EmailAddress)) {
            if (rdn.getFirst().getValue() instanceof ASN1String s) {
                result.add(s.getString().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return result;
    }

    /**
     * Null if the certificate may sign S/MIME under {@code profile}, else why not. KV-Connect user certificates
     * always carry the emailProtection extended key usage, so its absence is a problem there. KIM signs with the
     * institution's SMC-B organisational signature certificate (C.HCI.OSIG: key usage nonRepudiation, no extended
     * key usage at all); for such a certificate - recognised by its certificate policy oid_smc_b_osig, which only the
     * TI's SMC-B CAs assert - the RFC 8550 rule applies: an absent extended key usage does not restrict the key. The
     * profile alone is not enough, because the sender chooses the envelope and thus the profile a message is read
     * under.
     */
    static String signingUsageProblem(X509Certificate cert, SmimeProfile profile) {
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !(ku[0] || ku[1])) {
            return "the signer certificate does not allow digitalSignature";
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku == null && profile == SmimeProfile.KIM && isSmcbOrganisationSignature(cert)) {
                return null;
            }
            if (eku == null || !(eku.contains(EMAIL_PROTECTION) || eku.contains(ANY_EKU))) {
                return "the signer certificate lacks the emailProtection extended key usage";
            }
        } catch (CertificateParsingException e) {
            return "the signer certificate's extended key usage cannot be read";
        }
        return null;
    }

    /**
     * Null if every e-mail address of the certificate has a canonical domain, else why not. An address whose domain
     * ends with a dot or has an empty label ({@code user@domain.}, {@code user@a..b}) escapes an rfc822Name name
     * constraint of its CA (PKIX compares the names literally, catalogue R25), so a CA barred from a domain could vouch
     * for it in that form: such a certificate is not trusted.
     */
    static String addressFormProblem(X509Certificate cert) {
        for (String address : emailsOf(cert)) {
            int at = address.lastIndexOf('@');
            String domain = at < 0 ? address : address.substring(at + 1);
            if (domain.isEmpty() || domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
                return "the certificate's e-mail address " + address.replaceAll("\\p{Cntrl}", "?")
                       + " has a non-canonical domain (empty label or trailing dot), which its CA's name constraints do "
                       + "not cover; the certificate is not trusted";
            }
        }
        return null;
    }

    /** gemSpec_OID oid_smc_b_osig: certificate policy of an SMC-B's organisational signature certificate (C.HCI.OSIG). */
    static final String SMC_B_OSIG_POLICY = "1.2.276.0.76.4.78";

    /** Whether the certificate's policies include {@link #SMC_B_OSIG_POLICY}: a KIM institution's signature certificate. */
    static boolean isSmcbOrganisationSignature(X509Certificate cert) {
        byte[] extension = cert.getExtensionValue(org.bouncycastle.asn1.x509.Extension.certificatePolicies.getId());
        if (extension == null) {
            return false;
        }
        try {
            org.bouncycastle.asn1.x509.CertificatePolicies policies = org.bouncycastle.asn1.x509.CertificatePolicies
                    .getInstance(org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils.parseExtensionValue(extension));
            return policies.getPolicyInformation(
                    new org.bouncycastle.asn1.ASN1ObjectIdentifier(SMC_B_OSIG_POLICY)) != null;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Null if the certificate may be encrypted to at {@code at}, else why not. With trust anchors, its path is
     * validated as in {@link #validatePath(X509Certificate, Collection, Collection, Date, CertificatePathCache, Collection)},
     * including revocation against {@code crls} (a revoked certificate yields "certificate revoked: ..."). A certificate
     * with an EC key is usable too if its key lies on one of {@code curves} and its key usage (if present) allows
     * keyAgreement: it gets an ECDH KeyAgreeRecipientInfo instead of RSA key transport. Empty {@code curves}: RSA only
     * (KV-Connect).
     */
    static String encryptionProblem(X509Certificate cert, Set<String> curves, Collection<X509Certificate> anchors,
                                    Collection<X509Certificate> intermediates, Date at, CertificatePathCache validPaths,
                                    Collection<X509CRL> crls) {
        try {
            cert.checkValidity(at);
        } catch (CertificateExpiredException e) {
            return "certificate expired on " + cert.getNotAfter().toInstant();
        } catch (CertificateNotYetValidException e) {
            return "certificate not valid before " + cert.getNotBefore().toInstant();
        }
        boolean[] ku = cert.getKeyUsage();
        if (!curves.isEmpty() && EcKeys.isEc(cert.getPublicKey())) {
            if (ku != null && !ku[4]) {
                return "certificate does not allow keyAgreement (needed for an EC key)";
            }
            String curve = EcKeys.curveProblem(cert.getPublicKey(), curves, "certificate key");
            if (curve != null) {
                return curve;
            }
        } else {
            if (ku != null && !ku[2]) {
                return "certificate does not allow keyEncipherment";
            }
            if (!(cert.getPublicKey() instanceof RSAPublicKey rsa)) {
                return curves.isEmpty() ? "certificate key is not RSA" : "certificate key is neither RSA nor EC";
            }
            if (rsa.getModulus().bitLength() < 2048) {
                return "RSA key of " + rsa.getModulus().bitLength() + " bits is shorter than 2048";
            }
        }
        String form = addressFormProblem(cert);
        if (form != null) {
            return form;
        }
        if (!anchors.isEmpty()) {
            PathOutcome path = validatePath(cert, intermediates, anchors, at, validPaths, crls);
            if (path.status() != VerificationStatus.VALID) {
                return "certificate " + path.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                       + ": " + path.detail();
            }
        }
        return null;
    }

    record PathOutcome(VerificationStatus status, String detail) {
    }

    /**
     * Builds the path leaf → issuers (from {@code pool}) → a trust anchor and validates it with PKIX at {@code at}.
     * Revocation is checked against {@code crls} only (no OCSP, no download from distribution points): a certificate
     * listed in a CRL of its issuer that is current at {@code at} (and signed by that issuer) is REVOKED; a certificate
     * for whose issuer no such CRL is given is not checked (soft fail), so configuring the CRL of one CA does not
     * break the others. Empty {@code crls}: revocation is not checked (KV-Connect's test CAs publish none).
     * {@code validPaths} is consulted and filled only without CRLs: a path accepted before a CRL became current must
     * not stay accepted. Its entries are keyed by the anchors too, so changed anchors are validated anew.
     */
    static PathOutcome validatePath(X509Certificate leaf, Collection<X509Certificate> pool,
                                    Collection<X509Certificate> anchors, Date at, CertificatePathCache validPaths,
                                    Collection<X509CRL> crls) {
        if (anchors.isEmpty()) {
            return new PathOutcome(VerificationStatus.UNTRUSTED_CHAIN, "no trust anchors are configured");
        }
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = leaf;
        boolean anchored = false;
        for (int i = 0; i < MAX_PATH; i++) {
            if (anchors.contains(current)) {
                anchored = true;
                break;
            }
            path.add(current);
            final X509Certificate c = current;
            if (anchors.stream().anyMatch(a -> a.getSubjectX500Principal().equals(c.getIssuerX500Principal()))) {
                anchored = true;
                break;
            }
            X509Certificate issuer = null;
            for (X509Certificate p : pool) {
                if (!p.equals(current) && p.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    issuer = p;
                    break;
                }
            }
            if (issuer == null) {
                break;
            }
            current = issuer;
        }
        if (!anchored) {
            return new PathOutcome(VerificationStatus.UNTRUSTED_CHAIN, "the chain of "
                    + PathValidationDetail.readable(leaf.getSubjectX500Principal())
                    + " does not lead to a configured trust anchor (its last certificate is issued by "
                    + PathValidationDetail.readable(current.getIssuerX500Principal())
                    + ", which is not among the trust anchors)");
        }
        if (path.isEmpty()) {
            // the certificate is itself an anchor: only its validity period matters
            try {
                leaf.checkValidity(at);
                return new PathOutcome(VerificationStatus.VALID, null);
            } catch (CertificateExpiredException e) {
                return new PathOutcome(VerificationStatus.EXPIRED, "the trust anchor " + PathValidationDetail.name(leaf)
                        + " expired on " + leaf.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                return new PathOutcome(VerificationStatus.NOT_YET_VALID, "the trust anchor " + PathValidationDetail.name(leaf)
                        + " is not valid before " + leaf.getNotBefore().toInstant());
            }
        }
        if (crls.isEmpty() && validPaths.contains(path, anchors, at)) {
            return new PathOutcome(VerificationStatus.VALID, null);
        }
        try {
            Set<TrustAnchor> trust = new HashSet<>();
            for (X509Certificate a : anchors) {
                trust.add(new TrustAnchor(a, null));
            }
            PKIXParameters params = new PKIXParameters(trust);
            params.setDate(at);
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            if (crls.isEmpty()) {
                params.setRevocationEnabled(false);
            } else {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
                PKIXRevocationChecker revocation = (PKIXRevocationChecker) validator.getRevocationChecker();
                revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK, PKIXRevocationChecker.Option.SOFT_FAIL));
                params.addCertPathChecker(revocation);
            }
            validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            if (crls.isEmpty()) {
                validPaths.add(path, anchors);
            }
            return new PathOutcome(VerificationStatus.VALID, null);
        } catch (CertPathValidatorException e) {
            VerificationStatus status = switch (e.getReason() instanceof CertPathValidatorException.BasicReason r ? r
                    : CertPathValidatorException.BasicReason.UNSPECIFIED) {
                case EXPIRED -> VerificationStatus.EXPIRED;
                case NOT_YET_VALID -> VerificationStatus.NOT_YET_VALID;
                case REVOKED -> VerificationStatus.REVOKED;
                default -> VerificationStatus.UNTRUSTED_CHAIN;
            };
            if (status == VerificationStatus.UNTRUSTED_CHAIN) {
                // the JDK reports validity problems of the anchor-adjacent certificate without a reason code
                for (X509Certificate c : path) {
                    if (at.after(c.getNotAfter())) {
                        status = VerificationStatus.EXPIRED;
                        break;
                    }
                    if (at.before(c.getNotBefore())) {
                        status = VerificationStatus.NOT_YET_VALID;
                        break;
                    }
                }
            }
            return new PathOutcome(status, PathValidationDetail.describe(e, path, at));
        } catch (GeneralSecurityException e) {
            return new PathOutcome(VerificationStatus.UNTRUSTED_CHAIN, "certificate path cannot be checked: " + e.getMessage());
        }
    }
}
