package io.github.camelkvconnect.component.rest;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.MutableClock;
import io.github.camelkvconnect.emulator.Endpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST client against the emulator over HTTPS: encoding, token renewal, server errors, timeouts, TLS trust. */
class KvConnectRestClientTest {

    @TempDir
    static Path dir;

    static final MutableClock EMULATOR_CLOCK = new MutableClock();
    static EmulatorFixture kvc;

    @BeforeAll
    static void start() throws Exception {
        kvc = EmulatorFixture.start(dir, b -> b.clock(EMULATOR_CLOCK).tokenLifetime(Duration.ofMinutes(10)));
        kvc.bareAccount("rest.alice");
    }

    @AfterAll
    static void stop() {
        kvc.close();
    }

    @BeforeEach
    void resetFaults() {
        kvc.admin().resetFaults();
        kvc.admin().deleteAllMessages("rest.alice");
    }

    private KvConnectRestClient client(RestAuthentication auth, Duration readTimeout) throws Exception {
        return new KvConnectRestClient(kvc.emulator().restBaseUri(), "rest.alice", auth,
                TrustAnchors.sslContext(kvc.tlsAnchors().toString(), null, null, null), Duration.ofSeconds(5), readTimeout);
    }

    private KvConnectRestClient basic() throws Exception {
        return client(RestAuthentication.basic("rest.alice", EmulatorFixture.PASSWORD.toCharArray()), Duration.ofSeconds(10));
    }

    private static byte[] message(String messageId) {
        return ("From: x@kv-safenet.de\r\nTo: rest.alice@kv-safenet.de\r\nSubject: t\r\nMessage-ID: " + messageId
                + "\r\nX-KVC-Dienstkennung: eMail-Dienst;Lieferung;V1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void messageIdsWithSlashesAndAtSignsSurviveListFetchAndDelete() throws Exception {
        KvConnectRestClient client = basic();
        String uid = client.login().uid();
        String id = "<odd/id+x%y@host.kv-safenet.de>";
        kvc.admin().injectMessage("rest.alice", message(id));

        List<MailHeader> headers = client.listHeaders(uid);
        assertEquals(1, headers.size());
        assertEquals(id, headers.get(0).messageId());
        assertEquals("eMail-Dienst;Lieferung;V1.0", headers.get(0).dienstkennung());

        Path target = dir.resolve("fetched.eml");
        DownloadedMail downloaded = client.fetchMail(uid, id, target).orElseThrow();
        byte[] stored = kvc.admin().readMessage("rest.alice", id).orElseThrow();
        assertArrayEquals(stored, Files.readAllBytes(target));
        assertEquals(stored.length, downloaded.size());
        // hashed while downloading: the same SHA-256 as the message stored on the server
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)), downloaded.sha256());

        client.deleteMail(uid, id);
        assertTrue(kvc.admin().listMailbox("rest.alice").isEmpty());
        // deleting again is not an error: the message is gone either way
        client.deleteMail(uid, id);
        assertTrue(client.fetchMail(uid, id, target).isEmpty());
    }

    @Test
    void bearerTokenIsReusedAndRenewedWhenTheServerSaysItExpired() throws Exception {
        KvConnectRestClient client = client(RestAuthentication.token("rest.alice", EmulatorFixture.PASSWORD.toCharArray(),
                Clock.systemUTC()), Duration.ofSeconds(10));
        String uid = client.login().uid();
        client.listHeaders(uid);
        // The server's clock passes the token's expiry; the client still believes in it, gets 401 and renews.
        EMULATOR_CLOCK.advance(Duration.ofMinutes(11));
        kvc.admin().injectMessage("rest.alice", message("<after-expiry@x>"));
        assertEquals("<after-expiry@x>", client.listHeaders(uid).get(0).messageId());
    }

    @Test
    void tokenFlowWithWrongPasswordFailsWithout401Loop() throws Exception {
        KvConnectRestClient client = client(RestAuthentication.token("rest.alice", "Wrong12ABcd".toCharArray(),
                Clock.systemUTC()), Duration.ofSeconds(10));
        KvConnectRestException e = assertThrows(KvConnectRestException.class, client::login);
        assertEquals(401, e.getHttpResponseCode());
        assertFalse(e.getMessage().contains("Wrong12ABcd"));
    }

    @Test
    void serverErrorsAreTypedAndTransient() throws Exception {
        KvConnectRestClient client = basic();
        String uid = client.login().uid();
        kvc.admin().faults().failNext(Endpoint.HEADERS, 1, 503);
        KvConnectRestException e = assertThrows(KvConnectRestException.class, () -> client.listHeaders(uid));
        assertEquals(503, e.getHttpResponseCode());
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("accounts/{uid}/headers"), e.getMessage());
        assertFalse(e.getMessage().contains(EmulatorFixture.PASSWORD));
        assertFalse(e instanceof KvConnectServerUnreachableException, "the server answered: it is reachable");
        assertTrue(client.listHeaders(uid).isEmpty(), "the next call works again");
    }

    /** Nobody listens on the port: the client says so by type, which the consumer relies on to end a poll. */
    @Test
    void refusedConnectionIsClassifiedAsServerUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        KvConnectRestClient client = new KvConnectRestClient(URI.create("https://localhost:" + closedPort + "/rest/"),
                "rest.alice", RestAuthentication.basic("rest.alice", EmulatorFixture.PASSWORD.toCharArray()),
                TrustAnchors.sslContext(kvc.tlsAnchors().toString(), null, null, null), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        KvConnectServerUnreachableException e = assertThrows(KvConnectServerUnreachableException.class,
                () -> client.fetchMail("uid", "<m@x>", dir.resolve("never.eml")));
        assertEquals(0, e.getHttpResponseCode());
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("cannot connect to localhost:" + closedPort), e.getMessage());
        assertFalse(e.getMessage().contains(EmulatorFixture.PASSWORD));
    }

    @Test
    void slowServerHitsTheReadTimeout() throws Exception {
        KvConnectRestClient client = client(RestAuthentication.basic("rest.alice", EmulatorFixture.PASSWORD.toCharArray()),
                Duration.ofMillis(1500)); // generous: login (TLS handshake) must fit in it on a loaded build machine
        String uid = client.login().uid();
        kvc.admin().faults().latency(Endpoint.HEADERS, Duration.ofSeconds(8));
        KvConnectRestException e = assertThrows(KvConnectRestException.class, () -> client.listHeaders(uid));
        assertEquals(0, e.getHttpResponseCode());
        assertTrue(e.isTransient());
        assertTrue(e.getMessage().contains("no answer within 1500 ms"), e.getMessage());
        assertFalse(e instanceof KvConnectServerUnreachableException, "connected, only the answer was late");
    }

    @Test
    void untrustedServerCertificateIsRefused() throws Exception {
        // Trust only an unrelated CA (the emulator's S/MIME root): the TLS handshake must fail.
        KvConnectRestClient client = new KvConnectRestClient(kvc.emulator().restBaseUri(), "rest.alice",
                RestAuthentication.basic("rest.alice", EmulatorFixture.PASSWORD.toCharArray()),
                TrustAnchors.sslContext(EmulatorFixture.pem(kvc.emulator().rootCaCertificate()), null, null, null),
                Duration.ofSeconds(5), Duration.ofSeconds(5));
        KvConnectRestException e = assertThrows(KvConnectRestException.class, client::serverVersion);
        assertTrue(e.getMessage().contains("TLS") || e.getMessage().contains("I/O error"), e.getMessage());
    }
}
