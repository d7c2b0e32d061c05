package io.github.camelkvconnect.emulator;

import java.security.KeyStore;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;

/** Real LDAP clients for the directory: plain LDAP and LDAPS trusting only the emulator's TLS CA, host name verified. */
final class Ldap {

    private Ldap() {
    }

    static LDAPConnection plain(KvConnectEmulator emulator) throws LDAPException {
        return new LDAPConnection("localhost", emulator.ldapPort());
    }

    static LDAPConnection ldaps(KvConnectEmulator emulator) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", emulator.tlsCaCertificate());
        java.nio.file.Path file = java.nio.file.Files.createTempFile("emulator-trust", ".p12");
        try {
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                trust.store(out, "changeit".toCharArray());
            }
            SSLUtil ssl = new SSLUtil(new TrustStoreTrustManager(file.toFile(), "changeit".toCharArray(), "PKCS12", true));
            LDAPConnectionOptions options = new LDAPConnectionOptions();
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(false));
            return new LDAPConnection(ssl.createSSLSocketFactory(), options, "localhost", emulator.ldapsPort());
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
