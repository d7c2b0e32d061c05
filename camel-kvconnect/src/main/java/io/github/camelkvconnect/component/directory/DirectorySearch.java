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
import io.github.camelkvconnect.component.rest.TrustAnchors;

/**
 * Searches the KV-Connect directory over LDAP(S), anonymously. Filter values are never concatenated into filter
 * strings: the UnboundID {@link Filter} factories escape them per RFC 4515, so input like {@code *)(mail=*} matches
 * nothing instead of everything.
 */
public final class DirectorySearch {

    private static final String[] ATTRIBUTES = { "cn", "givenName", "sn", "o", "street", "postalCode", "l", "mail",
            "userCertificate;binary", "userCertificate" };

    private final KvConnectConfiguration configuration;

    public DirectorySearch(KvConnectConfiguration configuration) {
        this.configuration = configuration;
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
        try (LDAPConnection connection = connect(URI.create(url))) {
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
            throw new IOException("Directory search at " + url + " failed: " + describe(e, URI.create(url).getHost()), e);
        }
    }

    /** A refused TLS handshake is named as such; otherwise the LDAP result code and the server's message. */
    private static String describe(LDAPException e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed (is the directory's certificate issued by a configured trust anchor and valid "
                       + "for host " + host + "?): " + t.getMessage();
            }
        }
        return e.getResultCode() + (e.getDiagnosticMessage() == null ? "" : " " + e.getDiagnosticMessage());
    }

    private LDAPConnection connect(URI uri) throws IOException, LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(configuration.getConnectTimeout());
        options.setResponseTimeoutMillis(configuration.getReadTimeout());
        String host = uri.getHost();
        boolean secure = "ldaps".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 636 : 389;
        if (secure) {
            SSLContext ssl = TrustAnchors.sslContext(configuration.getTlsTrustAnchors(), configuration.getTruststoreFile(),
                    configuration.getTruststorePassword() == null ? null : configuration.getTruststorePassword().toCharArray(),
                    configuration.getTruststoreType());
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
            SSLSocketFactory factory = new HostVerifyingSocketFactory(ssl.getSocketFactory());
            return new LDAPConnection(factory, options, host, port);
        }
        return new LDAPConnection(options, host, port);
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
