package io.github.camelkvconnect.component;

import java.io.IOException;

/**
 * The directory search ({@code operation=searchDirectory}) failed: the LDAP(S) server at {@code ldapUrl} cannot be
 * reached, refused the TLS handshake, answered with an error, sent an answer that cannot be decoded (e.g. cut off in the
 * middle of an entry), or sent more than the answer limit ({@link #isAnswerTooLarge()}). The message names the URL and
 * the cause; the exchange fails, nothing else is affected.
 */
public class KvConnectDirectoryException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String ldapUrl;
    private final boolean answerTooLarge;

    public KvConnectDirectoryException(String ldapUrl, String message, boolean answerTooLarge, Throwable cause) {
        super(message, cause);
        this.ldapUrl = ldapUrl;
        this.answerTooLarge = answerTooLarge;
    }

    /** The directory searched, as configured. */
    public String getLdapUrl() {
        return ldapUrl;
    }

    /** True if the search was aborted because the directory sent more bytes than the answer limit allows. */
    public boolean isAnswerTooLarge() {
        return answerTooLarge;
    }
}
