package io.github.camelkvconnect.component;

/** What a {@code kvconnect} producer does. */
public enum KvConnectOperation {
    /** Sign, encrypt and send the message body to the recipients (default). */
    send,
    /** Search the LDAP directory by name, city or mail; the body becomes a list of {@code DirectoryEntry}. */
    searchDirectory,
    /** Fetch the certificate of an address from the server; the body becomes an {@code X509Certificate} or null. */
    getCertificate,
    /** Generate a key pair, send a CSR, wait for the certificate and store key and certificate in the keystore. */
    requestCertificate,
    /** Change the account password to the body's value; the new password must also be configured afterwards. */
    changePassword,
    /** Read the server version (also a cheap reachability check); the body becomes the version string. */
    serverVersion
}
