package io.github.camelkvconnect.component.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads trust anchors (CA certificates) from PEM text, PEM files or a truststore and builds the TLS context for the
 * REST client. There is deliberately no "trust all" mode: without configured anchors the JDK's default CAs apply.
 */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /**
     * Reads certificates from a value that is either PEM text (starts with {@code -----BEGIN}) or a comma-separated
     * list of PEM file paths.
     */
    public static List<X509Certificate> fromPem(String pemOrFiles) throws IOException {
        List<X509Certificate> result = new ArrayList<>();
        if (pemOrFiles == null || pemOrFiles.isBlank()) {
            return result;
        }
        if (pemOrFiles.strip().startsWith("-----BEGIN")) {
            result.addAll(parse(new ByteArrayInputStream(pemOrFiles.getBytes(StandardCharsets.US_ASCII)), "inline PEM"));
            return result;
        }
        for (String file : pemOrFiles.split(",")) {
            Path path = Path.of(file.strip());
            if (!Files.isReadable(path)) {
                throw new IOException("Trust anchor file " + path + " does not exist or is not readable");
            }
            try (InputStream in = Files.newInputStream(path)) {
                result.addAll(parse(in, path.toString()));
            }
        }
        return result;
    }

    private static List<X509Certificate> parse(InputStream in, String source) throws IOException {
        try {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IOException("No certificate found in " + source);
            }
            return certs;
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("Cannot read the certificates in " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a TLS context trusting exactly the given PEM anchors, or the given truststore, or (both absent) the JDK
     * defaults. Hostname verification stays on: {@link java.net.http.HttpClient} always verifies it.
     */
    public static SSLContext sslContext(String pemAnchors, String truststoreFile, char[] truststorePassword,
                                        String truststoreType) throws IOException {
        try {
            KeyStore trust = null;
            if (pemAnchors != null && !pemAnchors.isBlank()) {
                trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                int i = 0;
                for (X509Certificate c : fromPem(pemAnchors)) {
                    trust.setCertificateEntry("anchor-" + i++, c);
                }
            } else if (truststoreFile != null && !truststoreFile.isBlank()) {
                trust = KeyStore.getInstance(truststoreType == null ? KeyStore.getDefaultType() : truststoreType);
                try (InputStream in = Files.newInputStream(Path.of(truststoreFile))) {
                    trust.load(in, truststorePassword);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot set up TLS trust from the configured trust anchors: " + e.getMessage(), e);
        }
    }
}
