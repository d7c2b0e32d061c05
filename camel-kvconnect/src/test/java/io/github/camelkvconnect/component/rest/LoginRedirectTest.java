package io.github.camelkvconnect.component.rest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.FaultProxy;
import io.github.camelkvconnect.component.support.TestKeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The login answers with a redirect to the account resource, and the client follows it with the credentials. A
 * redirect to another origin must not be followed: two real HTTPS servers on the loopback interface, the "server" and
 * another one on a different port that records what reaches it.
 */
class LoginRedirectTest {

    @TempDir
    Path dir;

    private HttpsServer server;
    private HttpServer other;
    private final List<String> requestsAtOther = new CopyOnWriteArrayList<>();
    private volatile String location;
    private Path anchors;

    @BeforeEach
    void start() throws Exception {
        KeyPair keys = TestKeys.rsa();
        X509Certificate cert = FaultProxy.localhostCertificate(keys);
        anchors = Files.writeString(dir.resolve("anchors.pem"), EmulatorFixture.pem(cert));
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = HttpsServer.create(loopback, 0);
        server.setHttpsConfigurator(new HttpsConfigurator(FaultProxy.serverTls(keys, cert)));
        server.createContext("/", ex -> {
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();
        HttpsServer otherTls = HttpsServer.create(loopback, 0);
        otherTls.setHttpsConfigurator(new HttpsConfigurator(FaultProxy.serverTls(keys, cert)));
        otherTls.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requestsAtOther.add(ex.getRequestURI() + " Authorization=" + (auth == null ? "none" : "present"));
            byte[] body = "<account uid=\"stolen\"/>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        otherTls.start();
        other = otherTls;
    }

    @AfterEach
    void stop() {
        server.stop(0);
        other.stop(0);
    }

    private KvConnectRestClient client() throws Exception {
        return new KvConnectRestClient(URI.create("https://localhost:" + server.getAddress().getPort() + "/kvconnect/rest/"),
                "rest.alice", RestAuthentication.basic("rest.alice", EmulatorFixture.PASSWORD.toCharArray()),
                TrustAnchors.sslContext(anchors.toString(), null, null, null), Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void redirectToAnotherPortIsRefusedAndNoCredentialsGoThere() throws Exception {
        location = "https://localhost:" + other.getAddress().getPort() + "/kvconnect/rest/accounts/uid-1";
        RedirectRefusedException e = assertThrows(RedirectRefusedException.class, () -> client().login());
        assertEquals(List.of(), requestsAtOther, "nothing, above all no Authorization header, reaches the other server");
        assertTrue(e.getMessage().contains(":" + other.getAddress().getPort()) && e.getMessage().contains("serverUrl"),
                e.getMessage());
        assertFalse(e.getMessage().contains(EmulatorFixture.PASSWORD));
        assertEquals(302, e.getHttpResponseCode());
    }

    @Test
    void redirectToPlainHttpOrAnotherHostIsRefused() throws Exception {
        int port = server.getAddress().getPort();
        for (String target : new String[] { "http://localhost:" + port + "/kvconnect/rest/accounts/uid-1",
                "https://127.0.0.1:" + port + "/kvconnect/rest/accounts/uid-1",
                "//localhost:" + other.getAddress().getPort() + "/kvconnect/rest/accounts/uid-1" }) {
            location = target;
            assertThrows(RedirectRefusedException.class, () -> client().login(), target);
        }
        assertEquals(List.of(), requestsAtOther);
    }

    @Test
    void sameOriginComparesSchemeHostAndEffectivePort() {
        URI base = URI.create("https://kvc.example/kvconnect/rest/");
        assertTrue(KvConnectRestClient.sameOrigin(base, URI.create("https://KVC.example:443/kvconnect/rest/accounts/1")));
        assertFalse(KvConnectRestClient.sameOrigin(base, URI.create("https://kvc.example:8443/x")));
        assertFalse(KvConnectRestClient.sameOrigin(base, URI.create("http://kvc.example/x")));
        assertFalse(KvConnectRestClient.sameOrigin(base, URI.create("https://kvc.example.evil/x")));
    }
}
