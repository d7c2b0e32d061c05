package io.github.camelkvconnect.smime.keys;

import java.io.IOException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds the PKCS#10 certificate request KV-Connect expects: SHA256withRSA, subject exactly
 * {@code x500UniqueIdentifier=<username>} (OID 2.5.4.45), PEM encoded.
 */
public final class CsrFactory {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private CsrFactory() {
    }

    /** The subject {@code x500UniqueIdentifier=<username>}. */
    public static X500Name subjectFor(String username) {
        validateUsername(username);
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.UNIQUE_IDENTIFIER, username).build();
    }

    /** Builds and signs the request. */
    public static PKCS10CertificationRequest create(String username, KeyPair keyPair) {
        X500Name subject = subjectFor(username);
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate()));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Cannot sign the certificate request with SHA256withRSA", e);
        }
    }

    /** Builds, signs and PEM-encodes the request ({@code -----BEGIN CERTIFICATE REQUEST-----}). */
    public static String createPem(String username, KeyPair keyPair) {
        return toPem(create(username, keyPair));
    }

    static String toPem(PKCS10CertificationRequest csr) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(csr);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot PEM-encode the certificate request", e);
        }
        return out.toString();
    }

    private static void validateUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("Invalid KV-Connect username '" + username
                    + "': use 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
    }
}
