package io.github.camelkvconnect.emulator;

import java.util.Locale;

import org.bouncycastle.asn1.x509.CRLReason;

/**
 * Why a certificate is revoked: the CRL reason codes of RFC 5280 §5.3.1 that a CA sets on an entry of a complete CRL
 * ({@code removeFromCRL}, which only exists in delta CRLs, is left out).
 */
public enum RevocationReason {
    /** No reason given; the entry then carries no reasonCode extension, as RFC 5280 recommends. */
    UNSPECIFIED(CRLReason.unspecified),
    /** The subject's private key is known or suspected to be compromised. */
    KEY_COMPROMISE(CRLReason.keyCompromise),
    /** The issuing CA's key is compromised. */
    CA_COMPROMISE(CRLReason.cACompromise),
    /** The subject's name or other certified information changed (e.g. the practice moved). */
    AFFILIATION_CHANGED(CRLReason.affiliationChanged),
    /** A new certificate replaces this one. */
    SUPERSEDED(CRLReason.superseded),
    /** The certificate is no longer needed (e.g. the account was closed). */
    CESSATION_OF_OPERATION(CRLReason.cessationOfOperation),
    /** Temporarily on hold. */
    CERTIFICATE_HOLD(CRLReason.certificateHold),
    /** A privilege the certificate asserted was withdrawn. */
    PRIVILEGE_WITHDRAWN(CRLReason.privilegeWithdrawn),
    /** The attribute authority was compromised. */
    AA_COMPROMISE(CRLReason.aACompromise);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** @return the RFC 5280 CRLReason code */
    public int code() {
        return code;
    }

    /**
     * @param code an RFC 5280 CRLReason code
     * @return the reason
     * @throws IllegalArgumentException for an unknown code or removeFromCRL (8)
     */
    public static RevocationReason ofCode(int code) {
        for (RevocationReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("no CRL reason code " + code + " in a complete CRL");
    }

    /**
     * Parses the RFC 5280 name ({@code keyCompromise}) or the constant name ({@code KEY_COMPROMISE}), case-insensitive.
     *
     * @param name the name
     * @return the reason
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static RevocationReason parse(String name) {
        String wanted = name.replace("_", "").toLowerCase(Locale.ROOT);
        for (RevocationReason r : values()) {
            if (r.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown revocation reason '" + name + "'; use one of "
                + java.util.Arrays.toString(values()) + " (or their RFC 5280 names such as keyCompromise)");
    }
}
