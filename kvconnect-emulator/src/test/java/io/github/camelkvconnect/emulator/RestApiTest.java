package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.segment;
import static io.github.camelkvconnect.emulator.RestClient.text;
import static io.github.camelkvconnect.emulator.RestClient.texts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Every REST endpoint and its status codes, over HTTPS with a real client and hostname verification. */
class RestApiTest {

    static final String PW = "Secret12AB";
    static final int MAX = 64 * 1024;

    static KvConnectEmulator emulator;
    static EmulatorAdmin admin;
    static String aliceUid;
    static String bobUid;

    RestClient alice;
    RestClient bob;

    @BeforeAll
    static void start() {
        emulator = KvConnectEmulator.builder()
                .account(EmulatorAccount.ready("alice", PW))
                .account(EmulatorAccount.ready("bob", PW))
                .account(EmulatorAccount.builder().username("carol").password("Initial1xy").build())
                .account(EmulatorAccount.ready("dora", PW))
                .account(EmulatorAccount.builder().username("erik").password("Initial1xy").build())
                .maxMessageSize(MAX)
                .start();
        admin = emulator.admin();
        aliceUid = admin.uid("alice");
        bobUid = admin.uid("bob");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void clients() {
        alice = new RestClient(emulator).basic("alice", PW);
        bob = new RestClient(emulator).basic("bob", PW);
        admin.deleteAllMessages("alice");
        admin.deleteAllMessages("bob");
        admin.resetFaults();
    }

    @Test
    void serverVersionNeedsNoCredentials() {
        HttpResponse<String> r = new RestClient(emulator).get("server/version");
        assertEquals(200, r.statusCode());
        assertEquals("2.7.0", r.body());
    }

    @Test
    void missingOrWrongCredentialsGive401WithChallenge() {
        HttpResponse<String> none = new RestClient(emulator).get("accounts/" + aliceUid);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals("401", text(none.body(), "status"));

        assertEquals(401, new RestClient(emulator).basic("alice", "wrong").get("accounts/" + aliceUid).statusCode());
        assertEquals(401, new RestClient(emulator).basic("nobody", PW).get("accounts/" + aliceUid).statusCode());
        HttpResponse<String> garbage = alice.send(alice.request("accounts/" + aliceUid)
                .setHeader("Authorization", "Basic %%%").build());
        assertEquals(401, garbage.statusCode());
        assertFalse(garbage.body().contains(PW));
    }

    @Test
    void loginRedirectsToTheAccount() {
        HttpResponse<String> r = alice.get("login/alice");
        assertEquals(302, r.statusCode());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertEquals("/kvconnect/rest/accounts/" + aliceUid, location);

        HttpResponse<String> account = alice.get(location);
        assertEquals(200, account.statusCode());
        assertEquals(aliceUid, RestClient.attributes(account.body(), "account", "uid").get(0));
        assertEquals("alice@kv-safenet.de", text(account.body(), "email"));
        assertEquals("false", text(account.body(), "passwordChangeNeeded"));
        assertNotNull(text(account.body(), "passwordLastChange"));

        assertEquals(403, alice.get("login/bob").statusCode());

        // a client that follows the redirect, as the real clients do, lands on the account
        java.net.http.HttpClient following = java.net.http.HttpClient.newBuilder()
                .sslContext(TestTls.trustingPem(emulator.tlsCaCertificatePem()))
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> followed = alice.send(alice.request("login/alice").build(), following);
        assertEquals(200, followed.statusCode(), followed.body());
        assertEquals("alice@kv-safenet.de", text(followed.body(), "email"));
    }

    @Test
    void anotherUsersAccountIs403AndUnknownIs404() {
        assertEquals(403, alice.get("accounts/" + bobUid).statusCode());
        assertEquals(403, alice.get("accounts/" + bobUid + "/headers").statusCode());
        assertEquals(403, alice.get("accounts/" + bobUid + "/mails").statusCode());
        assertEquals(404, alice.get("accounts/no-such-uid").statusCode());
        assertEquals(404, alice.get("no/such/resource").statusCode());
        assertEquals(404, new RestClient(emulator).get("elsewhere").statusCode());
    }

    @Test
    void wrongMethodIs405() {
        HttpResponse<String> r = alice.delete("server/version");
        assertEquals(405, r.statusCode());
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void sendDeliversToEveryToAndCcRecipientAndHeadersListOldestFirst() {
        String first = Messages.newMessageId();
        String second = Messages.newMessageId();
        HttpResponse<String> r = alice.post("mails",
                Messages.message("alice@kv-safenet.de", "Bob <bob@kv-safenet.de>", "dora@KV-SAFENET.DE", first, "one"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("bob@kv-safenet.de", "dora@kv-safenet.de"), texts(r.body(), "recipient"));
        assertEquals(200, alice.post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", second, "two")).statusCode());

        HttpResponse<String> headers = bob.get("accounts/" + bobUid + "/headers");
        assertEquals(200, headers.statusCode());
        assertEquals(List.of(first, second), texts(headers.body(), "message-id"));
        assertEquals(List.of("one", "two"), texts(headers.body(), "subject"));
        assertEquals("eMail-Dienst;Lieferung;V1.0", text(headers.body(), "x-kvc-dienstkennung"));
        assertEquals("camel-kvconnect-test;1.0", text(headers.body(), "x-kvc-sendersystem"));
        assertTrue(text(headers.body(), "content-type").startsWith("application/pkcs7-mime"));
        assertEquals(List.of(first), admin.listMailbox("dora").stream().map(MailboxEntry::messageId).toList());
        assertEquals(200, bob.get("accounts/" + bobUid + "/headers(short)").statusCode());

        // index range: from inclusive, to exclusive
        assertEquals(List.of(second), texts(bob.get("accounts/" + bobUid + "/headers?from=1").body(), "message-id"));
        assertEquals(List.of(first), texts(bob.get("accounts/" + bobUid + "/headers?from=0&to=1").body(), "message-id"));
        assertEquals(List.of(), texts(bob.get("accounts/" + bobUid + "/headers?from=5").body(), "message-id"));
        assertEquals(400, bob.get("accounts/" + bobUid + "/headers?from=-1").statusCode());
        assertEquals(400, bob.get("accounts/" + bobUid + "/headers?to=x").statusCode());
    }

    @Test
    void fetchAndDeleteByMessageIdWithSpecialCharacters() {
        String id = "<a/b+c%d@kv-safenet.de>";
        byte[] raw = Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", id, "special");
        assertEquals(200, alice.post("mails", raw).statusCode());

        String path = "accounts/" + bobUid + "/mails/" + segment(id);
        HttpResponse<byte[]> fetched = bob.getBytes(path);
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(raw, fetched.body());
        // without the angle brackets works too
        assertEquals(200, bob.getBytes("accounts/" + bobUid + "/mails/" + segment("a/b+c%d@kv-safenet.de")).statusCode());
        // another user's mailbox
        assertEquals(403, alice.getBytes(path).statusCode());

        assertEquals(204, bob.delete(path).statusCode());
        assertEquals(404, bob.delete(path).statusCode());
        assertEquals(404, bob.getBytes(path).statusCode());
        assertTrue(admin.listMailbox("bob").isEmpty());
    }

    @Test
    void allMailsComeAsMultipart() throws Exception {
        String a = Messages.newMessageId();
        String b = Messages.newMessageId();
        alice.post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", a, "a"));
        alice.post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", b, "b"));
        HttpResponse<byte[]> r = bob.getBytes("accounts/" + bobUid + "/mails");
        assertEquals(200, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/mixed"));
        jakarta.mail.internet.MimeMultipart multipart = new jakarta.mail.internet.MimeMultipart(
                new jakarta.mail.util.ByteArrayDataSource(r.body(), type));
        assertEquals(2, multipart.getCount());
        assertTrue(new String(r.body(), StandardCharsets.US_ASCII).indexOf(a) < new String(r.body(), StandardCharsets.US_ASCII).indexOf(b));
    }

    @Test
    void sendRejectsUnknownRecipientsWrongSenderAndBadMessages() {
        String id = Messages.newMessageId();
        HttpResponse<String> unknown = alice.post("mails",
                Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de, ghost@kv-safenet.de", null, id, "x"));
        assertEquals(422, unknown.statusCode());
        assertTrue(text(unknown.body(), "message").contains("ghost@kv-safenet.de"));
        assertTrue(admin.listMailbox("bob").isEmpty(), "nothing is delivered when one recipient is unknown");

        assertEquals(422, alice.post("mails", Messages.message("alice@kv-safenet.de", "someone@example.org", id, "x")).statusCode());
        HttpResponse<String> spoofed = alice.post("mails", Messages.message("bob@kv-safenet.de", "bob@kv-safenet.de", id, "x"));
        assertEquals(403, spoofed.statusCode());
        assertTrue(text(spoofed.body(), "message").contains("does not match"));

        assertEquals(400, alice.post("mails", "From: alice@kv-safenet.de\r\nTo: bob@kv-safenet.de\r\n\r\nno id").statusCode());
        assertEquals(400, alice.post("mails", "Message-ID: <x@y>\r\nFrom: alice@kv-safenet.de\r\n\r\nno recipient").statusCode());
        assertEquals(400, alice.post("mails", "Message-ID: <x@y>\r\nFrom: alice@kv-safenet.de\r\nTo: <<<broken\r\n\r\n").statusCode());
        assertEquals(400, alice.post("mails", "").statusCode());

        assertEquals(200, alice.post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", id, "x")).statusCode());
        HttpResponse<String> duplicate = alice.post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", id, "x"));
        assertEquals(409, duplicate.statusCode());
        assertEquals(1, admin.listMailbox("bob").size());
    }

    @Test
    void oversizeBodyIsRejectedWith413() {
        byte[] big = new byte[MAX + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        HttpResponse<String> r = alice.post("mails", big);
        assertEquals(413, r.statusCode());
        assertTrue(text(r.body(), "message").contains(Integer.toString(MAX)));
        // far over the limit: the client still gets the 413 rather than a connection reset
        assertEquals(413, alice.post("mails", new byte[1024 * 1024]).statusCode());
        // the server keeps serving
        assertEquals(200, alice.get("accounts/" + aliceUid).statusCode());
    }

    @Test
    void chunkedOversizeBodyIsRejectedWith413() {
        long size = MAX + 8 * 1024;
        HttpRequest request = alice.request("mails").POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }
        })).build();
        HttpResponse<String> r = alice.send(request);
        assertEquals(413, r.statusCode());
        assertTrue(admin.listMailbox("bob").isEmpty());
    }

    @Test
    void certificatesBeforeAndAfterIssuingAndDeletion() throws Exception {
        admin.deleteCertificate("alice");
        assertEquals(404, bob.get("certificates?email=alice@kv-safenet.de").statusCode());
        assertEquals(404, bob.get("certificates?email=ghost@kv-safenet.de").statusCode());
        assertEquals(400, bob.get("certificates").statusCode());

        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.cert.X509Certificate issued = admin.issueCertificate("alice", g.generateKeyPair().getPublic());

        HttpResponse<String> byEmail = bob.get("certificates?email=" + segment("alice@kv-safenet.de"));
        assertEquals(200, byEmail.statusCode());
        assertEquals("alice@kv-safenet.de", text(byEmail.body(), "email"));
        assertEquals(issued.getSerialNumber().toString(16), text(byEmail.body(), "id"));
        assertEquals(issued, io.github.camelkvconnect.emulator.pki.Pem.certificate(text(byEmail.body(), "body")));
        assertEquals(DateTimeFormatter.ISO_INSTANT.format(issued.getNotAfter().toInstant()), text(byEmail.body(), "validTo"));
        assertEquals(200, alice.get("certificates?uid=" + segment(aliceUid)).statusCode());

        assertEquals(403, bob.delete("accounts/" + aliceUid + "/certificate").statusCode());
        assertEquals(204, alice.delete("accounts/" + aliceUid + "/certificate").statusCode());
        assertEquals(404, alice.delete("accounts/" + aliceUid + "/certificate").statusCode());
        assertEquals(404, bob.get("certificates?email=alice@kv-safenet.de").statusCode());
    }

    @Test
    void passwordPolicyAndChange() {
        RestClient erik = new RestClient(emulator).basic("erik", "Initial1xy");
        String uid = admin.uid("erik");
        assertEquals("true", text(erik.get("accounts/" + uid).body(), "passwordChangeNeeded"));

        assertEquals(400, erik.post("accounts/" + uid + "/password", "").statusCode());
        for (String weak : List.of("Sh0rtAB", "alllower12", "ALLUPPER12", "NoDigitsHere", "Aa1bcdefgh")) {
            HttpResponse<String> r = erik.post("accounts/" + uid + "/password", weak);
            assertEquals(422, r.statusCode(), weak);
            assertTrue(text(r.body(), "message").contains("password policy"), r.body());
            assertFalse(r.body().contains(weak), "the rejected password is not echoed");
        }
        assertEquals(422, erik.post("accounts/" + uid + "/password", "Initial1xy").statusCode());
        assertEquals(403, bob.post("accounts/" + uid + "/password", "GoodPass12XY").statusCode());

        assertEquals(204, erik.post("accounts/" + uid + "/password", "GoodPass12XY\r\n").statusCode());
        assertEquals(401, erik.get("accounts/" + uid).statusCode(), "the old password no longer works");
        RestClient renewed = new RestClient(emulator).basic("erik", "GoodPass12XY");
        assertEquals("false", text(renewed.get("accounts/" + uid).body(), "passwordChangeNeeded"));
    }

    @Test
    void csrBeforePasswordChangeIsRefused() {
        RestClient carol = new RestClient(emulator).basic("carol", "Initial1xy");
        HttpResponse<String> r = carol.post("csr", "-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n");
        assertEquals(403, r.statusCode());
        assertTrue(text(r.body(), "message").contains("password must be changed"));
        assertEquals(400, alice.post("csr", "not a csr").statusCode());
        assertEquals(404, alice.get("csr/unknown").statusCode());
    }

    @Test
    void addressBookHonoursIfModifiedSince() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        admin.issueCertificate("bob", g.generateKeyPair().getPublic());

        RestClient client = new RestClient(emulator, emulator.addressBookUri()).basic("alice", PW);
        HttpResponse<byte[]> r = client.getBytes("accounts.json.zip");
        assertEquals(200, r.statusCode());
        String lastModified = r.headers().firstValue("Last-Modified").orElseThrow();
        JsonNode book;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            assertEquals("accounts.json", zip.getNextEntry().getName());
            book = new ObjectMapper().readTree(zip.readAllBytes());
        }
        JsonNode bobEntry = null;
        for (JsonNode n : book) {
            if ("bob".equals(n.path("username").asText())) {
                bobEntry = n;
            }
        }
        assertNotNull(bobEntry, book.toString());
        assertEquals("bob@kv-safenet.de", bobEntry.path("mail").asText());
        assertTrue(bobEntry.path("certificate").asText().startsWith("-----BEGIN CERTIFICATE-----"));

        HttpResponse<byte[]> notModified = client.http().send(client.request("accounts.json.zip")
                .header("If-Modified-Since", lastModified).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(304, notModified.statusCode());
        String longAgo = DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.Instant.EPOCH.atOffset(ZoneOffset.UTC));
        assertEquals(200, client.http().send(client.request("accounts.json.zip").header("If-Modified-Since", longAgo)
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        assertEquals(200, client.getBytes("accounts.xml.zip").statusCode());
        assertEquals(401, new RestClient(emulator, emulator.addressBookUri()).getBytes("accounts.json.zip").statusCode());
        assertEquals(200, alice.getBytes("vzd/accounts.json.zip").statusCode(), "also below the REST base path");
    }

    @Test
    void malformedRequestsDoNotCrashTheServer() throws Exception {
        String auth = "Authorization: Basic " + java.util.Base64.getEncoder()
                .encodeToString(("alice:" + PW).getBytes(StandardCharsets.UTF_8)) + "\r\n";
        assertTrue(raw("GET /kvconnect/rest/accounts/" + aliceUid + "/mails/%ZZ HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "Connection: close\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(raw("GET /kvconnect/rest/certificates?email=%G1 HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "Connection: close\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(raw("POST /kvconnect/rest/mails HTTP/1.1\r\nHost: localhost\r\n" + auth
                + "Content-Length: nonsense\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 400"));
        raw("\u0000\u0001garbage\r\n\r\n");
        HttpResponse<String> weird = alice.send(alice.request("accounts/" + aliceUid)
                .setHeader("Authorization", "Digest abc").build());
        assertEquals(401, weird.statusCode());
        assertEquals(200, new RestClient(emulator).get("server/version").statusCode());
    }

    /** Sends raw bytes over TLS (hostname verified) and returns what the server answers. */
    private static String raw(String request) throws Exception {
        javax.net.ssl.SSLSocketFactory factory = TestTls.trustingPem(emulator.tlsCaCertificatePem()).getSocketFactory();
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) factory.createSocket("localhost", emulator.restPort())) {
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            try {
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.io.IOException e) {
                return "";
            }
        }
    }
}
