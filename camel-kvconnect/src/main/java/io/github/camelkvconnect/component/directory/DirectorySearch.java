package io.github.camelkvconnect.component.directory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.component.KvConnectDirectoryException;
import io.github.camelkvconnect.component.rest.TrustAnchors;

/**
 * Searches the KV-Connect directory over LDAP(S), anonymously. Filter values are never concatenated into filter
 * strings: the UnboundID {@link Filter} factories escape them per RFC 4515, so input like {@code *)(mail=*} matches
 * nothing instead of everything.
 * <p>
 * The directory's answer is untrusted input read by UnboundID's stream reader, so it is bounded: one LDAP message may
 * be at most {@link #MAX_MESSAGE_BYTES}, and the whole answer at most {@link AnswerLimit#forResults} bytes (see there
 * why). A connection closed in the middle of an entry ends the search with a decoding error (see
 * docs/kvconnect-component.md, "Directory answers", for UnboundID 7.0.3's stream reader and why that cannot loop here).
 * Every failure of the connection or the search is a {@link KvConnectDirectoryException} (unreadable trust anchor
 * files stay the IOException of {@link TrustAnchors}).
 */
public final class DirectorySearch {

    private static final String[] ATTRIBUTES = { "cn", "givenName", "sn", "o", "street", "postalCode", "l", "mail",
            "userCertificate;binary", "userCertificate" };

    /** Largest LDAP message accepted (UnboundID's default is 20 MiB): an entry with a few certificates is ~5 KiB. */
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private final KvConnectConfiguration configuration;
    private final long maxAnswerBytes;

    public DirectorySearch(KvConnectConfiguration configuration) {
        this(configuration, AnswerLimit.forResults(configuration.getDirectoryMaxResults()).maxBytes());
    }

    /** With another answer limit (tests). */
    DirectorySearch(KvConnectConfiguration configuration, long maxAnswerBytes) {
        this.configuration = configuration;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * @param name surname prefix, may be null
     * @param city city prefix, may be null
     * @param mail exact address, may be null
     */
    public List<DirectoryEntry> search(String name, String city, String mail) throws IOException {
        List<Filter> parts = new ArrayList<>();
        if (name != null && !name.isBlank()) {
            parts.add(Filter.createSubInitialFilter("sn", name.strip()));
        }
        if (city != null && !city.isBlank()) {
            parts.add(Filter.createSubInitialFilter("l", city.strip()));
        }
        if (mail != null && !mail.isBlank()) {
            parts.add(Filter.createEqualityFilter("mail", mail.strip()));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("searchDirectory needs at least one criterion: set the header "
                                               + "CamelKvConnectSearchName, CamelKvConnectSearchCity or CamelKvConnectSearchMail");
        }
        Filter filter = parts.size() == 1 ? parts.get(0) : Filter.createANDFilter(parts);
        String url = configuration.getLdapUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("searchDirectory needs the option ldapUrl (e.g. ldaps://host:636)");
        }
        AnswerLimit limit = new AnswerLimit(maxAnswerBytes);
        try (LDAPConnection connection = connect(URI.create(url), limit)) {
            SearchRequest request = new SearchRequest(configuration.getLdapBaseDn(), SearchScope.SUB, filter, ATTRIBUTES);
            request.setSizeLimit(configuration.getDirectoryMaxResults());
            request.setTimeLimitSeconds(Math.max(1, configuration.getReadTimeout() / 1000));
            SearchResult result;
            try {
                result = connection.search(request);
            } catch (LDAPSearchException e) {
                if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                    throw e;
                }
                result = e.getSearchResult();
            }
            List<DirectoryEntry> entries = new ArrayList<>();
            for (SearchResultEntry e : result.getSearchEntries()) {
                entries.add(toEntry(e));
            }
            return entries;
        } catch (LDAPException e) {
            if (limit.exceeded()) {
                throw new KvConnectDirectoryException(url, "Directory search at " + url + " failed: the directory's answer "
                        + "exceeds " + limit.maxBytes() + " bytes (" + AnswerLimit.BYTES_PER_RESULT / 1024 + " KiB per "
                        + "result of directoryMaxResults=" + configuration.getDirectoryMaxResults() + ", plus "
                        + AnswerLimit.BASE_BYTES / 1024 + " KiB); search more narrowly or lower directoryMaxResults", true, e);
            }
            throw new KvConnectDirectoryException(url, "Directory search at " + url + " failed: "
                    + describe(e, URI.create(url).getHost()), false, e);
        }
    }

    /**
     * A refused TLS handshake is named as such, an answer that cannot be decoded too; otherwise the LDAP result code
     * and the server's message.
     */
    private static String describe(LDAPException e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed (is the directory's certificate issued by a configured trust anchor and valid "
                       + "for host " + host + "?): " + t.getMessage();
            }
        }
        String detail = e.getResultCode() + (e.getDiagnosticMessage() == null ? "" : " " + e.getDiagnosticMessage());
        if (e.getResultCode() == ResultCode.DECODING_ERROR) {
            return "the directory's answer cannot be decoded (malformed, or cut off by the end of the connection); "
                   + "check that ldapUrl names a KV-Connect directory: " + detail;
        }
        return detail;
    }

    private LDAPConnection connect(URI uri, AnswerLimit limit) throws IOException, LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(configuration.getConnectTimeout());
        options.setResponseTimeoutMillis(configuration.getReadTimeout());
        // one request per connection: read the answer in the calling thread (no reader thread); a decoding problem
        // then surfaces as DECODING_ERROR instead of a closed connection
        options.setUseSynchronousMode(true);
        options.setMaxMessageSize(MAX_MESSAGE_BYTES);
        String host = uri.getHost();
        boolean secure = "ldaps".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 636 : 389;
        if (secure) {
            SSLContext ssl = TrustAnchors.sslContext(configuration.getTlsTrustAnchors(), configuration.getTruststoreFile(),
                    configuration.getTruststorePassword() == null ? null : configuration.getTruststorePassword().toCharArray(),
                    configuration.getTruststoreType());
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            // TLS layered over a counting TCP socket: the answer limit applies to LDAPS too
            SSLSocketFactory factory = new HostVerifyingSocketFactory(ssl.getSocketFactory(),
                    limit.sockets(configuration.getConnectTimeout()), host);
            return new LDAPConnection(factory, options, host, port);
        }
        return new LDAPConnection(limit.sockets(configuration.getConnectTimeout()), options, host, port);
    }

    /** One search result as an entry; package-private for the fuzz target (Z4). */
    static DirectoryEntry toEntry(SearchResultEntry e) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Attribute a : e.getAttributes()) {
            if (a.getBaseName().equalsIgnoreCase("userCertificate")) {
                for (byte[] value : a.getValueByteArrays()) {
                    X509Certificate c = parse(value);
                    if (c != null) {
                        certs.add(c);
                    }
                }
            }
        }
        return new DirectoryEntry(e.getDN(), e.getAttributeValue("cn"), e.getAttributeValue("givenName"),
                e.getAttributeValue("sn"), e.getAttributeValue("o"), e.getAttributeValue("street"),
                e.getAttributeValue("postalCode"), e.getAttributeValue("l"), e.getAttributeValue("mail"), certs);
    }

    /** Certificates come as DER, or (as some directories publish them) as PEM text. */
    private static X509Certificate parse(byte[] value) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(value));
        } catch (CertificateException e) {
            String text = new String(value, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN CERTIFICATE-----")) {
                try {
                    return (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(value));
                } catch (GeneralSecurityException ignore) {
                    return null;
                }
            }
            return null;
        }
    }
}
