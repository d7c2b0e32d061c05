package io.github.camelkvconnect.smime;

import java.util.Locale;
import java.util.Set;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;

/** The signer's certificate must name the From address of the signed message (Sender alone does not count). */
final class SignerAddressCheck {

    private SignerAddressCheck() {
    }

    /** {@code v} re-checked against {@code headers} if it is valid so far; otherwise unchanged. */
    static VerificationResult recheck(VerificationResult v, InternetHeaders headers, SmimeProfile profile) {
        return v != null && v.isValid() ? check(v, headers, profile) : v;
    }

    /** {@code v} (valid so far) or {@link VerificationStatus#SIGNER_ADDRESS_MISMATCH}. */
    static VerificationResult check(VerificationResult v, InternetHeaders headers, SmimeProfile profile) {
        String from = headers.getHeader("From", ",");
        Set<String> certAddresses = CertificateChecks.emailsOf(v.signer());
        if (profile == SmimeProfile.KIM && certAddresses.isEmpty()
            && CertificateChecks.isSmcbOrganisationSignature(v.signer())) {
            // KIM signs with the institution's SMC-B, whose certificate carries no e-mail address (the KIM address
            // is bound to it by the directory). Only an SMC-B signature certificate gets this exception: the
            // sender chooses the envelope and thus the profile, so the profile alone must not relax the check.
            return v;
        }
        String fromAddress = null;
        try {
            InternetAddress[] parsed = from == null ? new InternetAddress[0] : InternetAddress.parseHeader(from, false);
            if (parsed.length == 1) {
                fromAddress = parsed[0].getAddress();
            }
        } catch (AddressException e) {
            fromAddress = null;
        }
        if (fromAddress == null || !certAddresses.contains(fromAddress.toLowerCase(Locale.ROOT))) {
            return new VerificationResult(VerificationStatus.SIGNER_ADDRESS_MISMATCH, v.signerAddress(), v.signer(),
                    "the signer certificate (" + v.signerAddress() + ") does not belong to the From address ("
                    + (fromAddress == null ? "none" : fromAddress) + ")");
        }
        return v;
    }
}
