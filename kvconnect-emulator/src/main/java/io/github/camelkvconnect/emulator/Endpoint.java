package io.github.camelkvconnect.emulator;

/**
 * The REST endpoints of the emulator, used to target faults at one of them.
 */
public enum Endpoint {
    /** {@code GET server/version} */
    SERVER_VERSION,
    /** {@code GET login/{username}} */
    LOGIN,
    /** {@code GET accounts/{uid}} */
    ACCOUNT,
    /** {@code GET accounts/{uid}/headers} */
    HEADERS,
    /** {@code GET accounts/{uid}/mails} */
    MAILS,
    /** {@code GET accounts/{uid}/mails/{messageId}} */
    MAIL_GET,
    /** {@code DELETE accounts/{uid}/mails/{messageId}} */
    MAIL_DELETE,
    /** {@code POST mails} */
    MAIL_SEND,
    /** {@code GET certificates?email=|uid=} */
    CERTIFICATES,
    /** {@code DELETE accounts/{uid}/certificate} */
    CERTIFICATE_DELETE,
    /** {@code POST csr} */
    CSR_POST,
    /** {@code GET csr/{id}} */
    CSR_STATUS,
    /** {@code POST accounts/{uid}/password} */
    PASSWORD,
    /** {@code POST sts/token} (this project's own token profile) */
    TOKEN,
    /** {@code GET /vzd/accounts.json.zip} and {@code /vzd/accounts.xml.zip} */
    ADDRESS_BOOK,
    /** {@code GET /crl/user-ca.crl} and {@code /crl/root-ca.crl}: the CRL distribution point (this project's path) */
    CRL,
    /**
     * LDAP and LDAPS searches of the directory. Supports {@code failNext} (the search fails with LDAP result code 52,
     * unavailable; the HTTP status given is ignored) and {@code latency}.
     */
    LDAP_SEARCH
}
