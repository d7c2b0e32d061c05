package io.github.camelkvconnect.smime;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateRevokedException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;

/**
 * Says in words why PKIX rejected a certificate path: which certificate, and what about it (expired on, not valid
 * before, revoked on, unknown issuer, key usage, name constraints...). The JDK's own texts ("validity check failed")
 * name neither. Certificates are named by subject, serial number and issuer, which are public.
 */
final class PathValidationDetail {

    private PathValidationDetail() {
    }

    /**
     * @param e    the validator's exception
     * @param path the path that was validated, leaf first (the exception's index points into it)
     * @param at   the validation time
     */
    static String describe(CertPathValidatorException e, List<X509Certificate> path, Date at) {
        X509Certificate cert = e.getIndex() >= 0 && e.getIndex() < path.size() ? path.get(e.getIndex()) : null;
        if (cert == null) {
            // the JDK reports problems of the certificate next to the anchor without an index: find it by its dates
            cert = outsideValidity(path, at);
        }
        String who = cert == null ? "a certificate of the path" : name(cert);
        CertPathValidatorException.Reason reason = e.getReason();
        String what;
        if (cert != null && at.after(cert.getNotAfter())) {
            what = who + " expired on " + cert.getNotAfter().toInstant();
        } else if (cert != null && at.before(cert.getNotBefore())) {
            what = who + " is not valid before " + cert.getNotBefore().toInstant();
        } else if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            what = who + " has expired";
        } else if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            what = who + " is not yet valid";
        } else if (reason == CertPathValidatorException.BasicReason.REVOKED) {
            what = who + " was revoked" + revocation(e);
        } else if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            what = "the signature of " + who + " does not verify with its issuer's key (forged or damaged certificate)";
        } else if (reason == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
            what = who + " is signed with an algorithm or key the JVM's security policy refuses";
        } else if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            what = "the revocation status of " + who + " cannot be determined";
        } else if (reason == PKIXReason.NAME_CHAINING) {
            what = "the issuer of " + who + " is unknown (no certificate in the path or the trust anchors names it)";
        } else if (reason == PKIXReason.INVALID_KEY_USAGE) {
            what = who + " does not have the key usage its place in the path requires";
        } else if (reason == PKIXReason.NOT_CA_CERT) {
            what = who + " issues certificates but is not a CA certificate (basic constraints)";
        } else if (reason == PKIXReason.PATH_TOO_LONG) {
            what = "the path is longer than the path length constraint of " + who + " allows";
        } else if (reason == PKIXReason.INVALID_NAME) {
            what = "a name of " + who + " is outside the name constraints of an issuing CA";
        } else if (reason == PKIXReason.UNRECOGNIZED_CRIT_EXT) {
            what = who + " carries a critical extension that is not understood";
        } else if (reason == PKIXReason.INVALID_POLICY) {
            what = "the certificate policies of the path are not acceptable at " + who;
        } else if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            what = "no configured trust anchor issued the path";
        } else {
            what = who + ": " + e.getMessage();
        }
        return "certificate path invalid at " + at.toInstant() + ": " + what;
    }

    /** The certificate's subject, serial number (hex) and issuer. */
    static String name(X509Certificate cert) {
        return "certificate " + readable(cert.getSubjectX500Principal()) + " (serial "
               + cert.getSerialNumber().toString(16) + ", issuer " + readable(cert.getIssuerX500Principal()) + ")";
    }

    /**
     * A distinguished name as Bouncy Castle writes it (emailAddress as E=..., where the JDK writes the hex encoding),
     * with control characters replaced: names come from the message, and the text ends up in logs and headers.
     */
    static String readable(javax.security.auth.x500.X500Principal principal) {
        String name = org.bouncycastle.asn1.x500.X500Name.getInstance(org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE,
                principal.getEncoded()).toString();
        name = name.length() > 300 ? name.substring(0, 300) + "..." : name;
        return name.replaceAll("\\p{Cntrl}", "?");
    }

    private static X509Certificate outsideValidity(List<X509Certificate> path, Date at) {
        for (X509Certificate c : path) {
            if (at.after(c.getNotAfter()) || at.before(c.getNotBefore())) {
                return c;
            }
        }
        return null;
    }

    private static String revocation(CertPathValidatorException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateRevokedException r) {
                return " on " + r.getRevocationDate().toInstant() + " (reason " + r.getRevocationReason()
                       + ", CRL of " + r.getAuthorityName().getName() + ")";
            }
        }
        return "";
    }
}
