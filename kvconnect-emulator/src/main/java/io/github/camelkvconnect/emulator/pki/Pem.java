package io.github.camelkvconnect.emulator.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding and decoding of certificates and keys, via Bouncy Castle's PEM reader and writer. */
public final class Pem {

    private Pem() {
    }

    /** @return the PEM text of a certificate, key or CSR */
    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PrivateKey key) {
                // PKCS#8 ("PRIVATE KEY") for every algorithm; the traditional EC form would lose the public key.
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * @param pem PEM text holding a certificate
     * @return the certificate
     * @throws IllegalArgumentException if the text holds no certificate
     */
    public static X509Certificate certificate(String pem) {
        Object parsed = read(pem);
        if (!(parsed instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException("PEM text holds no certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("PEM certificate cannot be decoded: " + e.getMessage(), e);
        }
    }

    /**
     * @param pem PEM text holding an unencrypted private key (PKCS#8 or traditional)
     * @return the key
     */
    public static PrivateKey privateKey(String pem) {
        Object parsed = read(pem);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("PEM private key cannot be decoded", e);
        }
        throw new IllegalArgumentException("PEM text holds no unencrypted private key");
    }

    /** @return the first PEM object in the text, or null if there is none */
    public static Object read(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed PEM text: " + e.getMessage(), e);
        }
    }
}
