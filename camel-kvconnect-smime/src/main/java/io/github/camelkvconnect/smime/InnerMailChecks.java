package io.github.camelkvconnect.smime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cms.SignerInformation;

/**
 * Checks of a signed inner mail (KIM's message/rfc822 inside the signature) against what travels outside it:
 * catalogue R15, the unsigned outer headers against the signed inner ones (KOM-LE-A_2048-01 "outer header integrity"),
 * and R16, surreptitious forwarding: the signed recipients must include the reading account.
 */
final class InnerMailChecks {

    /** The headers KIM copies from the inner mail to the outer message (the Subject is "KOM-LE-Nachricht" by design). */
    static final List<String> COMPARED_HEADERS = List.of("From", "Sender", "Reply-To", "To", "Cc");

    private static final ASN1ObjectIdentifier RECIPIENT_EMAILS = new ASN1ObjectIdentifier(SmimeWriter.RECIPIENT_EMAILS_OID);

    private InnerMailChecks() {
    }

    /**
     * Null if every one of the {@link #COMPARED_HEADERS} present outside names the same addresses as the signed inner
     * one, else the differences. An outer header that is absent claims nothing and is not a difference.
     */
    static String headerMismatch(InternetHeaders outer, InternetHeaders inner) {
        List<String> differences = new ArrayList<>();
        for (String name : COMPARED_HEADERS) {
            if (outer.getHeader(name) == null) {
                continue;
            }
            Set<String> o = addresses(outer, name);
            Set<String> i = addresses(inner, name);
            if (!o.equals(i)) {
                differences.add(name + " outside " + o + ", signed " + i);
            }
        }
        return differences.isEmpty() ? null : "the unsigned outer headers differ from the signed inner mail ("
               + String.join("; ", differences) + "); the signed ones are used";
    }

    /**
     * Null if one of {@code ours} is among the signed recipients: the signed recipient-emails attribute if the signer
     * set one, else the To and Cc of the signed inner mail. Also null without own addresses (a reader configured with a
     * key only): then there is nothing to compare.
     */
    static String recipientMismatch(Collection<String> ours, InternetHeaders inner, Set<String> signedRecipientEmails) {
        if (ours.isEmpty()) {
            return null;
        }
        Set<String> signed = new TreeSet<>(signedRecipientEmails);
        String source = "the signed recipient-emails attribute";
        if (signed.isEmpty()) {
            signed.addAll(addresses(inner, "To"));
            signed.addAll(addresses(inner, "Cc"));
            source = "the signed To and Cc";
        }
        for (String own : ours) {
            if (signed.contains(own.toLowerCase(Locale.ROOT))) {
                return null;
            }
        }
        return "the message was signed for " + signed + " (" + source + "), not for this account " + new TreeSet<>(ours)
               + ": one of its recipients may have forwarded it re-encrypted (surreptitious forwarding)";
    }

    /** The addresses of the recipient-emails attribute in a signer's signed attributes, lower case (may be empty). */
    static Set<String> recipientEmails(SignerInformation signer) {
        Set<String> result = new TreeSet<>();
        AttributeTable signed = signer.getSignedAttributes();
        Attribute attribute = signed == null ? null : signed.get(RECIPIENT_EMAILS);
        if (attribute == null) {
            return result;
        }
        try {
            for (ASN1Encodable value : attribute.getAttrValues()) {
                for (ASN1Encodable entry : ASN1Set.getInstance(value)) {
                    ASN1Encodable email = ASN1Sequence.getInstance(entry).getObjectAt(0);
                    if (email instanceof ASN1String s) {
                        result.add(s.getString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (RuntimeException e) {
            // a malformed attribute names nobody: the inner To/Cc decide
            result.clear();
        }
        return result;
    }

    private static Set<String> addresses(InternetHeaders headers, String name) {
        Set<String> result = new TreeSet<>();
        String value = headers.getHeader(name, ",");
        if (value == null || value.isBlank()) {
            return result;
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
                if (a.getAddress() != null) {
                    result.add(a.getAddress().toLowerCase(Locale.ROOT));
                }
            }
        } catch (AddressException e) {
            // unparsable: compare the raw text, so that any difference still shows
            result.add(value.strip().toLowerCase(Locale.ROOT).replaceAll("\\p{Cntrl}", "?"));
        }
        return result;
    }
}
