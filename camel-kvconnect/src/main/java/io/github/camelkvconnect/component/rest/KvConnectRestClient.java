package io.github.camelkvconnect.component.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.w3c.dom.Element;

/**
 * Client for the KV-Connect Server 2.7 REST interface (domain reference §3). Thread-safe.
 * <p>
 * Requests authenticate with HTTP BASIC or with a bearer token ({@link RestAuthentication}); a 401 with a token
 * triggers one transparent renewal. Mail bodies are streamed to and from files, never held in memory. Error messages
 * name the method, path and status, never credentials or content.
 */
public final class KvConnectRestClient {

    private final URI baseUri;
    private final String username;
    private final HttpClient http;
    private final Duration readTimeout;
    private final RestAuthentication authentication;
    private final ClockSkew clockSkew;

    /**
     * @param baseUri        the REST base, e.g. {@code https://host:8443/kvconnect/rest/}
     * @param username       the account's login name
     * @param authentication how requests authenticate
     * @param sslContext     TLS trust (see {@link TrustAnchors})
     * @param connectTimeout TCP/TLS connect timeout
     * @param readTimeout    time allowed until the response headers arrive
     */
    public KvConnectRestClient(URI baseUri, String username, RestAuthentication authentication, SSLContext sslContext,
                               Duration connectTimeout, Duration readTimeout) {
        this(baseUri, username, authentication, sslContext, connectTimeout, readTimeout,
                new ClockSkew(java.time.Clock.systemUTC(), ClockSkew.DEFAULT_THRESHOLD, baseUri.getHost()));
    }

    /**
     * As above, comparing every answer's Date header with the local clock in {@code clockSkew}.
     */
    public KvConnectRestClient(URI baseUri, String username, RestAuthentication authentication, SSLContext sslContext,
                               Duration connectTimeout, Duration readTimeout, ClockSkew clockSkew) {
        this.clockSkew = clockSkew;
        String base = baseUri.toString();
        this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
        this.username = username;
        this.authentication = authentication;
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .sslContext(sslContext)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        authentication.bind(this);
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The difference between the local clock and the server's, as measured on the answers so far. */
    public ClockSkew clockSkew() {
        return clockSkew;
    }

    public String username() {
        return username;
    }

    /** {@code GET server/version}: needs no credentials; also the cheapest reachability check. */
    public String serverVersion() throws IOException {
        HttpResponse<String> r = send(request("server/version").GET(), false, "GET", "server/version");
        expect(r, "GET", "server/version", 200);
        return r.body().strip();
    }

    /** {@code GET login/{username}}: verifies the credentials and resolves the account uid (via the redirect). */
    public AccountInfo login() throws IOException {
        String path = "login/" + PathSegments.encode(username);
        HttpResponse<String> r = send(request(path).GET(), true, "GET", "login/{username}");
        if (r.statusCode() / 100 == 3) {
            String location = r.headers().firstValue("Location")
                    .orElseThrow(() -> error("GET", "login/{username}", r.statusCode(), "redirect without Location", null));
            URI target = baseUri.resolve(location);
            if (!sameOrigin(baseUri, target)) {
                // the follow-up request carries the credentials: only ever to the configured server
                throw new RedirectRefusedException("login/{username}", r.statusCode(), origin(baseUri), origin(target));
            }
            HttpRequest.Builder follow = HttpRequest.newBuilder(target).timeout(readTimeout).GET();
            HttpResponse<String> account = send(follow, true, "GET", "accounts/{uid}");
            expect(account, "GET", "accounts/{uid}", 200);
            return parseAccount(account.body(), uidFrom(target));
        }
        expect(r, "GET", "login/{username}", 200);
        return parseAccount(r.body(), null);
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
               && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
               && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : "http".equalsIgnoreCase(u.getScheme()) ? 80 : -1;
    }

    /** scheme://host:port only: a Location may carry anything, it is not logged whole. */
    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getHost() + ":" + port(u);
    }

    private static String uidFrom(URI accountUri) {
        String p = accountUri.getPath();
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return PathSegments.decode(p.substring(p.lastIndexOf('/') + 1));
    }

    /** The account document of the login; package-private for the fuzz target (Z3). */
    static AccountInfo parseAccount(String xml, String fallbackUid) throws IOException {
        Element root = XmlDocuments.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "the account request");
        String uid = root.getAttribute("uid");
        if (uid == null || uid.isBlank()) {
            uid = XmlDocuments.text(root, "uid");
        }
        if (uid == null || uid.isBlank()) {
            uid = fallbackUid;
        }
        if (uid == null || uid.isBlank()) {
            throw new IOException("The KV-Connect server's account data carries no uid");
        }
        return new AccountInfo(uid, XmlDocuments.text(root, "email"),
                "true".equalsIgnoreCase(XmlDocuments.text(root, "passwordChangeNeeded")));
    }

    /** {@code GET accounts/{uid}/headers}: the waiting messages' routing headers, oldest first. */
    public List<MailHeader> listHeaders(String uid) throws IOException {
        String path = "accounts/" + PathSegments.encode(uid) + "/headers";
        HttpResponse<InputStream> r = sendStream(request(path).GET(), "GET", "accounts/{uid}/headers");
        try (InputStream body = r.body()) {
            expect(r.statusCode(), body, "GET", "accounts/{uid}/headers", 200);
            return parseHeaders(body);
        }
    }

    /** The body of {@code GET accounts/{uid}/headers}; package-private for the fuzz target (Z3). */
    static List<MailHeader> parseHeaders(InputStream body) throws IOException {
        Element root = XmlDocuments.parse(body, "the header list");
        List<MailHeader> result = new ArrayList<>();
        for (Element header : XmlDocuments.all(root, "header")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (Element field : XmlDocuments.children(header)) {
                fields.putIfAbsent(XmlDocuments.localName(field), field.getTextContent().trim());
            }
            result.add(new MailHeader(fields));
        }
        return result;
    }

    /**
     * {@code GET accounts/{uid}/mails/{messageId}}: streams the raw S/MIME message into {@code target}.
     *
     * @return the download (size and SHA-256), empty if the server no longer has the message (404)
     */
    public Optional<DownloadedMail> fetchMail(String uid, String messageId, Path target) throws IOException {
        return fetchMail(uid, messageId, target, Long.MAX_VALUE);
    }

    /**
     * {@code GET accounts/{uid}/mails/{messageId}}: streams the raw S/MIME message into {@code target}, at most
     * {@code maxBytes}, hashing it on the way; the download fails if no data arrives for the read timeout.
     *
     * @return the download (size and SHA-256), empty if the server no longer has the message (404)
     * @throws MessageTooLargeException if the message is larger than {@code maxBytes} (announced or while reading)
     */
    public Optional<DownloadedMail> fetchMail(String uid, String messageId, Path target, long maxBytes) throws IOException {
        String what = "accounts/{uid}/mails/{messageId}";
        String path = "accounts/" + PathSegments.encode(uid) + "/mails/" + PathSegments.encode(messageId);
        HttpResponse<InputStream> r = sendStream(request(path).GET(), "GET", what);
        try (InputStream body = r.body()) {
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            expect(r.statusCode(), body, "GET", what, 200);
            long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > maxBytes) {
                throw new MessageTooLargeException(what, maxBytes, "the server announced " + announced + " bytes");
            }
            try {
                return Optional.of(BoundedDownload.copy(body, target, maxBytes, readTimeout, what));
            } catch (java.io.InterruptedIOException | MessageTooLargeException e) {
                throw e;
            } catch (IOException e) {
                // connection reset, body shorter than announced, ...: named like every other failed call
                throw error("GET", "accounts/{uid}/mails/{messageId}", 0, "the download broke off: " + e.getMessage(), e);
            }
        }
    }

    /** {@code DELETE accounts/{uid}/mails/{messageId}}. A 404 counts as success: the message is gone either way. */
    public void deleteMail(String uid, String messageId) throws IOException {
        String path = "accounts/" + PathSegments.encode(uid) + "/mails/" + PathSegments.encode(messageId);
        HttpResponse<String> r = send(request(path).DELETE(), true, "DELETE", "accounts/{uid}/mails/{messageId}");
        if (r.statusCode() != 404) {
            expect(r, "DELETE", "accounts/{uid}/mails/{messageId}", 200, 202, 204);
        }
    }

    /**
     * {@code POST mails}: sends a complete S/MIME transport message, streamed from {@code message}.
     * <p>
     * A {@code 409 Conflict} answer means the server already has a message with this Message-ID from this account: an
     * earlier attempt whose answer was lost (timeout, crash, broken connection) was accepted. That counts as success,
     * so that a retry under the same Message-ID is safe. The real server's answer to a repeated Message-ID is not
     * public; 409 is what the emulator answers (docs/kvconnect-rest-api.md, {@code POST mails}).
     *
     * @return true if the server accepted the message now, false if it had accepted it before (409)
     */
    public boolean sendMail(Path message) throws IOException {
        HttpRequest.Builder b = request("mails")
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofFile(message));
        HttpResponse<String> r = send(b, true, "POST", "mails");
        if (r.statusCode() == 409) {
            return false;
        }
        expect(r, "POST", "mails", 200, 201, 202, 204);
        return true;
    }

    /** {@code GET certificates?email=}: the certificate of an address, empty if the server has none (404). */
    public Optional<CertificateInfo> certificateByEmail(String email) throws IOException {
        return certificate("certificates?email=" + PathSegments.encodeQuery(email), "certificates?email=");
    }

    /** {@code GET certificates?uid=}: the account's own certificate, empty if none (404). */
    public Optional<CertificateInfo> certificateByUid(String uid) throws IOException {
        return certificate("certificates?uid=" + PathSegments.encodeQuery(uid), "certificates?uid=");
    }

    private Optional<CertificateInfo> certificate(String pathAndQuery, String what) throws IOException {
        HttpResponse<String> r = send(request(pathAndQuery).GET(), true, "GET", what);
        if (r.statusCode() == 404 || r.statusCode() == 204 || (r.statusCode() == 200 && r.body().isBlank())) {
            return Optional.empty();
        }
        expect(r, "GET", what, 200);
        return parseCertificate(r.body(), what);
    }

    /** The body of {@code GET certificates?...}; package-private for the fuzz target (Z3). */
    static Optional<CertificateInfo> parseCertificate(String body, String what) throws IOException {
        Element root = XmlDocuments.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), what);
        Element cert = "certificate".equals(XmlDocuments.localName(root)) ? root : XmlDocuments.first(root, "certificate");
        if (cert == null) {
            return Optional.empty();
        }
        String pem = XmlDocuments.text(cert, "body");
        if (pem == null || pem.isBlank()) {
            return Optional.empty();
        }
        try {
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return Optional.of(new CertificateInfo(XmlDocuments.text(cert, "id"), XmlDocuments.text(cert, "email"), x509));
        } catch (CertificateException e) {
            throw new IOException("The KV-Connect server returned an unreadable certificate for " + what + ": "
                                  + e.getMessage(), e);
        }
    }

    /** {@code POST csr}: submits a PEM certificate signing request and answers the id of the new CSR resource. */
    public String submitCsr(String pemCsr) throws IOException {
        HttpRequest.Builder b = request("csr").header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(pemCsr, StandardCharsets.UTF_8));
        HttpResponse<String> r = send(b, true, "POST", "csr");
        expect(r, "POST", "csr", 200, 201, 202);
        String ref = r.headers().firstValue("Location").orElse(r.body()).strip();
        if (ref.startsWith("<")) {
            Element root = XmlDocuments.parse(new ByteArrayInputStream(ref.getBytes(StandardCharsets.UTF_8)), "POST csr");
            ref = root.getTextContent().strip();
        }
        while (ref.endsWith("/")) {
            ref = ref.substring(0, ref.length() - 1);
        }
        String id = ref.substring(ref.lastIndexOf('/') + 1);
        if (id.isBlank()) {
            throw error("POST", "csr", r.statusCode(), "the answer names no CSR resource", null);
        }
        return PathSegments.decode(id);
    }

    /** {@code GET csr/{id}}: the processing state of a CSR. */
    public CsrStatus csrStatus(String csrId) throws IOException {
        HttpResponse<String> r = send(request("csr/" + PathSegments.encode(csrId)).GET(), true, "GET", "csr/{id}");
        expect(r, "GET", "csr/{id}", 200);
        return parseCsrStatus(r.body());
    }

    /** The body of {@code GET csr/{id}}; package-private for the fuzz target (Z3). */
    static CsrStatus parseCsrStatus(String body) throws IOException {
        Element root = XmlDocuments.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "GET csr/{id}");
        List<Integer> codes = new ArrayList<>();
        for (Element e : XmlDocuments.all(root, "status-entry")) {
            String s = e.getAttribute("status");
            if (s == null || s.isBlank()) {
                s = e.getTextContent();
            }
            try {
                codes.add(Integer.parseInt(s.strip()));
            } catch (NumberFormatException ignore) {
                // an entry we do not understand carries no state we could act on
            }
        }
        return new CsrStatus(codes);
    }

    /** {@code POST accounts/{uid}/password}: changes the account password (policy errors come back as 400/422). */
    public void changePassword(String uid, char[] newPassword) throws IOException {
        HttpRequest.Builder b = request("accounts/" + PathSegments.encode(uid) + "/password")
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(new String(newPassword), StandardCharsets.UTF_8));
        HttpResponse<String> r = send(b, true, "POST", "accounts/{uid}/password");
        if (r.statusCode() == 400 || r.statusCode() == 422) {
            throw error("POST", "accounts/{uid}/password", r.statusCode(),
                    "the new password was refused; the policy requires at least 8 characters with 2 upper case, "
                                                                        + "2 lower case letters and 1 digit",
                    null);
        }
        expect(r, "POST", "accounts/{uid}/password", 200, 201, 204);
    }

    // ---- plumbing -----------------------------------------------------------------------------------------------

    HttpRequest.Builder request(String relative) {
        return HttpRequest.newBuilder(baseUri.resolve(relative)).timeout(readTimeout);
    }

    HttpResponse<String> sendUnauthenticated(HttpRequest.Builder b, String method, String what) throws IOException {
        return execute(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), method, what);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, boolean authenticate, String method, String what)
            throws IOException {
        if (!authenticate) {
            return execute(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), method, what);
        }
        HttpResponse<String> r = execute(authentication.apply(b.copy()).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), method, what);
        if (r.statusCode() == 401 && authentication.renewOnUnauthorized()) {
            r = execute(authentication.apply(b.copy()).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
                    method, what);
        }
        if (r.statusCode() == 401) {
            throw error(method, what, 401, "the credentials of user " + username + " were refused", null);
        }
        return r;
    }

    private HttpResponse<InputStream> sendStream(HttpRequest.Builder b, String method, String what) throws IOException {
        HttpResponse<InputStream> r = execute(authentication.apply(b.copy()).build(), HttpResponse.BodyHandlers.ofInputStream(),
                method, what);
        if (r.statusCode() == 401 && authentication.renewOnUnauthorized()) {
            r.body().close();
            r = execute(authentication.apply(b.copy()).build(), HttpResponse.BodyHandlers.ofInputStream(), method, what);
        }
        if (r.statusCode() == 401) {
            r.body().close();
            throw error(method, what, 401, "the credentials of user " + username + " were refused", null);
        }
        return r;
    }

    private <T> HttpResponse<T> execute(HttpRequest request, HttpResponse.BodyHandler<T> handler, String method, String what)
            throws IOException {
        try {
            HttpResponse<T> response = http.send(request, handler);
            clockSkew.observe(response.headers().firstValue("Date"));
            return response;
        } catch (HttpConnectTimeoutException | ConnectException e) {
            // the one place that tells "server down" from a failed request: callers act on the type
            throw new KvConnectServerUnreachableException(message(method, what, 0,
                    "cannot connect to " + baseUri.getHost() + ":" + baseUri.getPort()), e);
        } catch (HttpTimeoutException e) {
            throw error(method, what, 0, "no answer within " + readTimeout.toMillis() + " ms", e);
        } catch (javax.net.ssl.SSLException e) {
            throw error(method, what, 0, "TLS handshake failed (is the server certificate issued by a configured trust "
                                         + "anchor and valid for host " + baseUri.getHost() + "?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("Interrupted during " + method + " " + what);
        } catch (IOException e) {
            throw error(method, what, 0, "I/O error: " + e.getMessage(), e);
        }
    }

    private void expect(HttpResponse<String> r, String method, String what, int... ok) throws KvConnectRestException {
        for (int code : ok) {
            if (r.statusCode() == code) {
                return;
            }
        }
        throw error(method, what, r.statusCode(), serverMessage(r.body()), null);
    }

    private void expect(int status, InputStream body, String method, String what, int ok) throws IOException {
        if (status != ok) {
            byte[] head = body.readNBytes(300);
            throw error(method, what, status, serverMessage(new String(head, StandardCharsets.UTF_8)), null);
        }
    }

    /** A short, single-line excerpt of the server's error text (never a mail body: only error answers get here). */
    private static String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String s = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    KvConnectRestException error(String method, String what, int status, String detail, Throwable cause) {
        return new KvConnectRestException(message(method, what, status, detail), status, cause);
    }

    private static String message(String method, String what, int status, String detail) {
        StringBuilder sb = new StringBuilder("KV-Connect REST call ").append(method).append(' ').append(what);
        if (status > 0) {
            sb.append(" failed with HTTP ").append(status).append(hint(status));
        } else {
            sb.append(" failed");
        }
        if (detail != null) {
            sb.append(": ").append(detail);
        }
        return sb.toString();
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (check username and password)";
            case 403 -> " (the account may not access this resource)";
            case 404 -> " (not found)";
            case 413 -> " (message too large for the server)";
            default -> status >= 500 ? " (server error; will be retried)" : "";
        };
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
