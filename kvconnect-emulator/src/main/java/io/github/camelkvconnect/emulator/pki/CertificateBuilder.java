package io.github.camelkvconnect.emulator.pki;

import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the emulator's certificates with Bouncy Castle: CA certificates, the TLS server certificate and KV-Connect
 * user certificates. Signing uses the JDK providers (no global provider registration).
 */
final class CertificateBuilder {

    private static final SecureRandom RANDOM = new SecureRandom();

    private CertificateBuilder() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is not available", e);
        }
    }

    static KeyPair ecP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation is not available", e);
        }
    }

    static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    /** A self-signed root CA. */
    static X509Certificate selfSignedCa(X500Name subject, KeyPair keys, Instant from, Instant to, String algorithm) {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from),
                Date.from(to), subject, keys.getPublic());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build CA certificate extensions", e);
        }
        return sign(b, keys.getPrivate(), algorithm);
    }

    /** An intermediate CA (path length 0) issued by {@code issuer}. */
    static X509Certificate subCa(X500Name subject, PublicKey key, CertificateAuthority issuer, Instant from, Instant to) {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), Date.from(from),
                Date.from(to), subject, key);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuer.certificate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build CA certificate extensions", e);
        }
        return sign(b, issuer.key(), "SHA512withRSA");
    }

    /** The TLS server certificate for localhost, 127.0.0.1 and ::1. */
    static X509Certificate tlsServer(X500Name subject, PublicKey key, CertificateAuthority issuer, Instant from, Instant to) {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(), Date.from(from),
                Date.from(to), subject, key);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1") }));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuer.certificate()));
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build TLS certificate extensions", e);
        }
        return sign(b, issuer.key(), "SHA256withECDSA");
    }

    /**
     * A KV-Connect user certificate as the User CA issues it (KV Telematik profile, domain reference §6.4), with a
     * CRLDistributionPoints extension only if {@code crlDistributionPoint} is given.
     */
    static X509Certificate user(X500Name subject, String email, PublicKey key, CertificateAuthority userCa,
            Instant from, Instant to, URI crlDistributionPoint) {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(userCa.certificate(), serial(), Date.from(from),
                Date.from(to), subject, key);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection }));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(userCa.certificate()));
            if (crlDistributionPoint != null) {
                GeneralNames where = new GeneralNames(
                        new GeneralName(GeneralName.uniformResourceIdentifier, crlDistributionPoint.toString()));
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(where), null, null) }));
            }
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot build user certificate extensions", e);
        }
        return sign(b, userCa.key(), "SHA512withRSA");
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, java.security.PrivateKey key, String algorithm) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("Cannot sign certificate with " + algorithm, e);
        }
    }
}
