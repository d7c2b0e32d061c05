package io.github.camelkvconnect.smime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.util.encoders.Hex;

/**
 * The texts of {@link SmimeDecryptionException}s: per reason, what happened and what to do. They name certificates by
 * issuer and serial number (public data) and never quote decrypted content, key material or parser internals. The one
 * deliberately vague text, for a broken RSA PKCS#1 v1.5 key block addressed to our certificate, lives with the code that
 * must keep it uniform ({@link EnvelopeDecryptor}).
 */
final class DecryptionTexts {

    /** At most this many recipient entries are named in a text: a hostile message may carry hundreds. */
    static final int MAX_NAMED_RECIPIENTS = 5;

    private static final String KEPT = "the message stays on the server";

    private DecryptionTexts() {
    }

    /** {@link DecryptionFailure#TRUNCATED}: {@code what} ("encrypted data", "S/MIME body", ...) ends too early. */
    static String truncated(String what) {
        return "The message is incomplete: its " + what + " ends before its structure does (cut off in transfer or "
               + "storage); " + KEPT + ", fetch it again later or ask the sender to send it again";
    }

    /** {@link DecryptionFailure#CORRUPT_DATA} of a structure that cannot be parsed. */
    static String malformedStructure(String what) {
        return "The message's " + what + " is damaged: it is not a valid CMS structure; " + KEPT
               + ", ask the sender to send it again";
    }

    /** {@link DecryptionFailure#CORRUPT_DATA} found while reading the CMS structure, {@code finding} says what. */
    static String damagedStructure(String finding) {
        return "The message's CMS structure is damaged: " + finding + "; " + KEPT + ", ask the sender to send it again";
    }

    /** {@link DecryptionFailure#AUTHENTICATION_FAILED}: the AES-GCM tag does not match. */
    static String tampered() {
        return "The encrypted data was altered after it was encrypted: its AES-GCM authentication tag does not match, so "
               + "none of it is used; do not trust this message, " + KEPT + ", ask the sender to send it again";
    }

    /** {@link DecryptionFailure#CORRUPT_DATA} of the content after our entry opened. */
    static String contentDamaged() {
        return "The message's entry for the configured key opened, but its encrypted content does not decrypt with the "
               + "content key: the ciphertext was damaged or altered in transit; " + KEPT
               + ", ask the sender to send it again";
    }

    /**
     * {@link DecryptionFailure#NO_MATCHING_RECIPIENT} for an entry naming our certificate whose key cannot be unwrapped
     * with our key (OAEP or ECDH; a PKCS#1 v1.5 entry gets the uniform text instead).
     */
    static String ownEntryDoesNotOpen(X509CertificateHolder ours) {
        return "The message has an entry for the configured certificate (" + name(ours) + "), but the configured "
               + "private key does not open it: the keystore's key does not belong to that certificate, or the entry "
               + "is damaged; check the account's keystore";
    }

    /** {@link DecryptionFailure#NO_MATCHING_RECIPIENT}: no entry names us and no trial opened one. */
    static String noMatchingRecipient(List<RecipientId> addressed, Collection<X509CertificateHolder> ours) {
        StringBuilder sb = new StringBuilder("The message is not encrypted for the configured key: ");
        if (addressed.isEmpty()) {
            sb.append("it has no entry for a certificate (key transport or key agreement)");
        } else {
            sb.append("it was encrypted for ");
            List<String> names = new ArrayList<>();
            for (RecipientId id : addressed.subList(0, Math.min(addressed.size(), MAX_NAMED_RECIPIENTS))) {
                names.add(name(id));
            }
            sb.append(String.join("; ", names));
            if (addressed.size() > MAX_NAMED_RECIPIENTS) {
                sb.append(" and ").append(addressed.size() - MAX_NAMED_RECIPIENTS).append(" more");
            }
        }
        List<String> own = new ArrayList<>();
        for (X509CertificateHolder c : ours) {
            if (c != null) {
                own.add(name(c));
            }
        }
        sb.append(own.isEmpty() ? ", and none of those entries opens with the configured private key"
                : "; the configured certificate(s): " + String.join("; ", own));
        return sb.append(". Check that the account's current key or keystore is configured (after a certificate renewal "
                         + "also the previous one), or whether the message was meant for another account; ")
                .append(KEPT).toString();
    }

    /** {@link DecryptionFailure#MALFORMED_MIME}: the transport message carries no encryption. */
    static String notEncrypted(String contentType) {
        return "The message is not encrypted (" + contentType + "): KV-Connect and KIM messages must be S/MIME "
               + "encrypted, so it is not read as one; " + KEPT + ", ask the sender to send it through KV-Connect or KIM";
    }

    static String name(X509CertificateHolder cert) {
        return "issuer " + safe(cert.getIssuer().toString()) + ", serial " + cert.getSerialNumber().toString(16);
    }

    /** A name from the message, fit for a log line: control characters replaced, length bounded. */
    private static String safe(String text) {
        String s = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /** A recipient entry's identifier: issuer and serial number, or subject key identifier. */
    static String name(RecipientId id) {
        if (id instanceof KeyTransRecipientId k) {
            return identifier(k.getIssuer(), k.getSerialNumber(), k.getSubjectKeyIdentifier());
        }
        if (id instanceof KeyAgreeRecipientId k) {
            return identifier(k.getIssuer(), k.getSerialNumber(), k.getSubjectKeyIdentifier());
        }
        return "an entry of another kind";
    }

    private static String identifier(org.bouncycastle.asn1.x500.X500Name issuer, java.math.BigInteger serial, byte[] ski) {
        if (issuer != null && serial != null) {
            return "issuer " + safe(issuer.toString()) + ", serial " + serial.toString(16);
        }
        return ski != null ? "subject key identifier " + safe(Hex.toHexString(ski)) : "an entry without identifier";
    }
}
