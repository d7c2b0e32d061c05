package io.github.camelkvconnect.component.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.github.camelkvconnect.emulator.KvConnectEmulator;

/**
 * A real HTTPS reverse proxy on the loopback interface in front of the emulator's REST interface, for faults the
 * emulator cannot produce (it arms faults per endpoint, not per message): an error answer for one message id on every
 * call, a body shorter than its Content-Length, a body that stalls. Requests no rule answers are forwarded unchanged;
 * redirects to the emulator are rewritten to the proxy. It has its own self-signed TLS certificate
 * ({@link #tlsAnchors()} trusts it and the emulator's TLS CA, for LDAPS).
 */
public final class FaultProxy implements AutoCloseable {

    /** Answers a request itself (returns true) or lets it through (false). */
    @FunctionalInterface
    public interface Rule {
        boolean handle(HttpExchange exchange) throws IOException;
    }

    private final KvConnectEmulator emulator;
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient upstream;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Path tlsAnchors;

    private FaultProxy(KvConnectEmulator emulator, Path dir) throws Exception {
        this.emulator = emulator;
        KeyPair keys = TestKeys.rsa();
        X509Certificate cert = localhostCertificate(keys);
        this.tlsAnchors = Files.writeString(dir.resolve("fault-proxy-anchors.pem"),
                EmulatorFixture.pem(cert) + emulator.tlsCaCertificatePem());
        SSLContext ssl = serverTls(keys, cert);
        this.upstream = HttpClient.newBuilder().sslContext(emulator.clientSslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FaultProxy start(KvConnectEmulator emulator, Path dir) throws Exception {
        return new FaultProxy(emulator, dir);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Path tlsAnchors() {
        return tlsAnchors;
    }

    /** An endpoint URI of the fixture, changed to reach the REST interface through this proxy. */
    public String via(String fixtureUri, Path fixtureTlsAnchors) {
        return fixtureUri.replace("://localhost:" + emulator.restPort() + "/", "://localhost:" + port() + "/")
                .replace("tlsTrustAnchors=" + fixtureTlsAnchors, "tlsTrustAnchors=" + tlsAnchors);
    }

    public void addRule(Rule rule) {
        rules.add(rule);
    }

    public void clearRules() {
        rules.clear();
    }

    /** Every GET of the message with this id answers {@code status}. */
    public void failFetch(String messageId, int status) {
        addRule(ex -> {
            if (!isFetchOf(ex, messageId)) {
                return false;
            }
            respond(ex, status, "simulated failure for one message");
            return true;
        });
    }

    /** Every GET of the message with this id announces more bytes than it sends, then closes the connection. */
    public void shortFetch(String messageId) {
        addRule(ex -> {
            if (!isFetchOf(ex, messageId)) {
                return false;
            }
            ex.sendResponseHeaders(200, 100_000);
            ex.getResponseBody().write(new byte[1000]);
            ex.getResponseBody().flush();
            // ending the exchange without the announced bytes breaks the connection for the client
            throw new IOException("deliberately short body");
        });
    }

    /** Every GET of the message with this id answers {@code bytes} bytes chunked, without announcing a length. */
    public void unannouncedLargeFetch(String messageId, int bytes) {
        addRule(ex -> {
            if (!isFetchOf(ex, messageId)) {
                return false;
            }
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[bytes]);
            }
            return true;
        });
    }

    /** Every GET of the message with this id sends its headers and a first chunk, then stalls until the proxy closes. */
    public void stallFetch(String messageId) {
        addRule(ex -> {
            if (!isFetchOf(ex, messageId)) {
                return false;
            }
            ex.sendResponseHeaders(200, 100_000);
            ex.getResponseBody().write(new byte[1000]);
            ex.getResponseBody().flush();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stalled body ends");
        });
    }

    public static boolean isFetchOf(HttpExchange ex, String messageId) {
        String path = ex.getRequestURI().getPath();
        return "GET".equals(ex.getRequestMethod()) && path.contains("/mails/") && path.endsWith("/" + messageId);
    }

    public static void respond(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            for (Rule rule : rules) {
                if (rule.handle(ex)) {
                    return;
                }
            }
            forward(ex);
        } finally {
            ex.close();
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        URI target = URI.create("https://localhost:" + emulator.restPort() + ex.getRequestURI().toString());
        byte[] requestBody = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .method(ex.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        for (String name : List.of("Authorization", "Content-Type", "Accept")) {
            String value = ex.getRequestHeaders().getFirst(name);
            if (value != null) {
                b.header(name, value);
            }
        }
        HttpResponse<InputStream> r;
        try {
            r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().set("Content-Type", v));
        r.headers().firstValue("Location").ifPresent(v -> ex.getResponseHeaders().set("Location",
                v.replace("://localhost:" + emulator.restPort() + "/", "://localhost:" + port() + "/")));
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = r.body()) {
            if (length == 0 || r.statusCode() == 204 || "HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(r.statusCode(), -1);
                return;
            }
            ex.sendResponseHeaders(r.statusCode(), length > 0 ? length : 0);
            try (OutputStream out = ex.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    /** A server-side TLS context presenting {@code cert}. */
    public static SSLContext serverTls(KeyPair keys, X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", keys.getPrivate(), "x".toCharArray(), new X509Certificate[] { cert });
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }

    /** A self-signed TLS certificate for localhost and 127.0.0.1. */
    public static X509Certificate localhostCertificate(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(2, ChronoUnit.DAYS)), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
        var signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
