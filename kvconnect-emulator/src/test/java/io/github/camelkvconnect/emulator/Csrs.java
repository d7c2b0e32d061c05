package io.github.camelkvconnect.emulator;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import io.github.camelkvconnect.emulator.pki.CsrInspector;
import io.github.camelkvconnect.emulator.pki.Pem;

/** Builds PEM CSRs like {@code openssl req -subj /x500UniqueIdentifier=<username>} does. */
final class Csrs {

    private Csrs() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(KeyPair keys, String uniqueIdentifier) {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        subject.addRDN(CsrInspector.X500_UNIQUE_IDENTIFIER, new DERUTF8String(uniqueIdentifier));
        return pem(keys, subject);
    }

    static String pemWithCommonName(KeyPair keys, String cn) {
        return pem(keys, new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn));
    }

    private static String pem(KeyPair keys, X500NameBuilder subject) {
        try {
            return Pem.encode(new JcaPKCS10CertificationRequestBuilder(subject.build(), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
