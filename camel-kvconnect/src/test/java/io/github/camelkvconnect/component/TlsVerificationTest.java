package io.github.camelkvconnect.component;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLHandshakeException;

import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.rest.KvConnectRestException;
import io.github.camelkvconnect.component.support.EmulatorFixture;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS to the KV-Connect server (REST over HTTPS) and to the directory (LDAPS) is refused unless the server certificate
 * both chains to a configured trust anchor and names the host the endpoint connects to.
 * <p>
 * The emulator listens on the loopback alias 127.0.0.2 only, while its TLS certificate names localhost, 127.0.0.1 and
 * ::1: a trusted certificate that is not valid for the host used, over real sockets.
 */
class TlsVerificationTest extends CamelTestSupport {

    private static final String HOST = "127.0.0.2";

    @TempDir
    static Path dir;

    static EmulatorFixture kvc;

    @BeforeAll
    static void start() throws Exception {
        InetAddress alias = InetAddress.getByName(HOST);
        assumeTrue(canListenOn(alias), "needs the loopback alias " + HOST + " (Linux routes 127.0.0.0/8 to lo)");
        kvc = EmulatorFixture.start(dir, b -> b.bindAddress(alias));
    }

    @AfterAll
    static void stop() {
        if (kvc != null) {
            kvc.close();
        }
    }

    private static boolean canListenOn(InetAddress address) {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An endpoint URI that reaches the emulator as {@code host}, trusting {@code tlsAnchors}. */
    private String uri(String host, String tlsAnchors, String options) {
        return kvc.uri("tls.user", dir.resolve("unused.p12"), dir.resolve("state"), options)
                .replace("://localhost:", "://" + host + ":")
                .replace("tlsTrustAnchors=" + kvc.tlsAnchors(), "tlsTrustAnchors=" + tlsAnchors);
    }

    /** A PEM file with an unrelated CA: the emulator's S/MIME root, which did not issue its TLS certificate. */
    private static String unrelatedCa() throws Exception {
        return Files.writeString(dir.resolve("unrelated-ca.pem"), EmulatorFixture.pem(kvc.emulator().rootCaCertificate()))
                .toString();
    }

    private static void assertHandshakeRefused(Exception e, String why) {
        assertNotNull(e, "the connection must be refused");
        boolean handshake = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            handshake |= t instanceof SSLHandshakeException;
        }
        assertTrue(handshake, () -> "expected a refused TLS handshake, got " + e);
        String all = messages(e);
        assertTrue(all.contains(why), () -> "expected '" + why + "' in: " + all);
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    @Test
    void restServerCertificateNotNamingTheHostIsRefused() {
        Exchange result = template.request(uri(HOST, kvc.tlsAnchors().toString(), "operation=serverVersion"), e -> {
        });
        KvConnectRestException e = assertInstanceOf(KvConnectRestException.class, result.getException());
        // the client reached the server and refused its (trusted) certificate for the host name, and says so
        assertTrue(e.getMessage().contains("TLS handshake failed") && e.getMessage().contains("valid for host " + HOST),
                e.getMessage());
        assertHandshakeRefused(e, "subject alternative names matching IP address " + HOST);
        assertNull(result.getMessage().getBody(), "no version was read");
    }

    @Test
    void ldapsServerCertificateNotNamingTheHostIsRefused() {
        Exchange result = template.request(uri(HOST, kvc.tlsAnchors().toString(), "operation=searchDirectory"),
                e -> e.getMessage().setHeader(KvConnectConstants.SEARCH_NAME, "a"));
        Exception e = result.getException();
        assertNotNull(e, "the connection must be refused");
        assertTrue(e.getMessage().contains("Directory search at ldaps://" + HOST) && e.getMessage().contains("TLS handshake failed")
                   && e.getMessage().contains("valid for host " + HOST), e.getMessage());
        assertHandshakeRefused(e, "subject alternative names matching IP address " + HOST);
    }

    @Test
    void restServerCertificateFromAnUntrustedCaIsRefused() throws Exception {
        // Trust only an unrelated CA (the emulator's S/MIME root): the chain check fails before the host name is looked at.
        Exchange result = template.request(uri(HOST, unrelatedCa(), "operation=serverVersion"), e -> {
        });
        KvConnectRestException e = assertInstanceOf(KvConnectRestException.class, result.getException());
        assertTrue(e.getMessage().contains("TLS handshake failed") && e.getMessage().contains("trust anchor"), e.getMessage());
        assertHandshakeRefused(e, "PKIX path building failed");
    }

    @Test
    void ldapsServerCertificateFromAnUntrustedCaIsRefused() throws Exception {
        Exchange result = template.request(uri(HOST, unrelatedCa(), "operation=searchDirectory"),
                e -> e.getMessage().setHeader(KvConnectConstants.SEARCH_NAME, "a"));
        Exception e = result.getException();
        assertNotNull(e, "the connection must be refused");
        assertTrue(e.getMessage().contains("Directory search at ldaps://" + HOST) && e.getMessage().contains("trust anchor"),
                e.getMessage());
        assertHandshakeRefused(e, "PKIX path building failed");
    }
}
