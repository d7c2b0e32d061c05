package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.attributes;
import static io.github.camelkvconnect.emulator.RestClient.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault, armed through the Java admin API, seen by a real client. */
class FaultsTest {

    static final String PW = "Secret12AB";

    static KvConnectEmulator emulator;
    static EmulatorAdmin admin;
    static String uid;

    RestClient client;

    @BeforeAll
    static void start() {
        emulator = KvConnectEmulator.builder().csrProcessing(CsrProcessing.IMMEDIATE)
                .account(EmulatorAccount.ready("faulty", PW)).start();
        admin = emulator.admin();
        uid = admin.uid("faulty");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        admin.resetFaults();
        admin.deleteAllMessages("faulty");
        client = new RestClient(emulator).basic("faulty", PW);
    }

    private String inject() {
        return admin.injectMessage("faulty", Messages.message("sender@kv-safenet.de", "faulty@kv-safenet.de",
                Messages.newMessageId(), "fault test"));
    }

    @Test
    void failNextCallsWithStatusThenRecover() {
        admin.faults().failNext(Endpoint.HEADERS, 2, 503);
        HttpResponse<String> first = client.get("accounts/" + uid + "/headers");
        assertEquals(503, first.statusCode());
        assertTrue(RestClient.text(first.body(), "message").contains("HEADERS"));
        assertEquals(503, client.get("accounts/" + uid + "/headers").statusCode());
        assertEquals(200, client.get("accounts/" + uid + "/headers").statusCode());
        assertEquals(200, client.get("accounts/" + uid).statusCode(), "other endpoints are not affected");
    }

    @Test
    void failedSendDeliversNothing() {
        admin.faults().failNext(Endpoint.MAIL_SEND, 1, 500);
        String id = Messages.newMessageId();
        byte[] message = Messages.message("faulty@kv-safenet.de", "faulty@kv-safenet.de", id, "x");
        assertEquals(500, client.post("mails", message).statusCode());
        assertTrue(admin.listMailbox("faulty").isEmpty());
        assertEquals(200, client.post("mails", message).statusCode());
        assertEquals(1, admin.listMailbox("faulty").size());
    }

    @Test
    void latencyDelaysTheAnswer() {
        admin.faults().latency(Endpoint.SERVER_VERSION, Duration.ofMillis(300));
        long start = System.nanoTime();
        assertEquals(200, client.get("server/version").statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300, "the answer came after the latency");
        admin.faults().latency(Endpoint.SERVER_VERSION, Duration.ZERO);
    }

    @Test
    void latencyTriggersClientTimeouts() {
        admin.faults().latency(Endpoint.ACCOUNT, Duration.ofSeconds(3));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> client.send(
                client.request("accounts/" + uid).timeout(Duration.ofMillis(200)).GET().build()));
        assertTrue(e.getCause() instanceof java.net.http.HttpTimeoutException, e.toString());
    }

    @Test
    void closedConnectionGivesNoAnswer() {
        // The JDK client retries an idempotent GET once on a closed connection, so arm two closes.
        admin.faults().closeConnection(Endpoint.ACCOUNT, 2);
        assertThrows(UncheckedIOException.class, () -> client.get("accounts/" + uid));
        assertEquals(200, client.get("accounts/" + uid).statusCode());

        admin.faults().closeConnection(Endpoint.MAIL_SEND, 1);
        byte[] message = Messages.message("faulty@kv-safenet.de", "faulty@kv-safenet.de", Messages.newMessageId(), "x");
        assertThrows(UncheckedIOException.class, () -> client.post("mails", message));
        assertTrue(admin.listMailbox("faulty").isEmpty(), "the request was not processed");
    }

    @Test
    void droppedResponseAfterDeliveryLeavesTheOutcomeUnknownAndARetryGets409() {
        admin.faults().dropResponse(Endpoint.MAIL_SEND, 1);
        String id = Messages.newMessageId();
        byte[] message = Messages.message("faulty@kv-safenet.de", "faulty@kv-safenet.de", id, "x");
        assertThrows(UncheckedIOException.class, () -> client.post("mails", message));
        assertEquals(List.of(id), admin.listMailbox("faulty").stream().map(MailboxEntry::messageId).toList(),
                "the message was delivered although the client got no answer");
        HttpResponse<String> retry = client.post("mails", message);
        assertEquals(409, retry.statusCode());
        assertEquals(1, admin.listMailbox("faulty").size(), "the retry did not deliver twice");
    }

    @Test
    void droppedResponseOfADeleteStillDeletes() {
        String id = inject();
        // DELETE is idempotent; a client may retry it once on a closed connection, so arm two drops.
        admin.faults().dropResponse(Endpoint.MAIL_DELETE, 2);
        assertThrows(UncheckedIOException.class, () -> client.delete("accounts/" + uid + "/mails/" + segment(id)));
        assertTrue(admin.listMailbox("faulty").isEmpty());
    }

    @Test
    void deleteFailsWithoutDeleting() {
        String id = inject();
        admin.faults().failDelete(1, 500, false);
        assertEquals(500, client.delete("accounts/" + uid + "/mails/" + segment(id)).statusCode());
        assertEquals(1, admin.listMailbox("faulty").size(), "the message stays");
        assertEquals(204, client.delete("accounts/" + uid + "/mails/" + segment(id)).statusCode());
        assertTrue(admin.listMailbox("faulty").isEmpty());
    }

    @Test
    void deleteFailsButDeletesAnyway() {
        String id = inject();
        admin.faults().failDelete(1, 502, true);
        assertEquals(502, client.delete("accounts/" + uid + "/mails/" + segment(id)).statusCode());
        assertTrue(admin.listMailbox("faulty").isEmpty(), "the answer was an error, but the message is gone");
        assertEquals(404, client.delete("accounts/" + uid + "/mails/" + segment(id)).statusCode());
    }

    @Test
    void corruptedFetchFlipsBytesButKeepsTheStoredMessage() {
        String id = inject();
        byte[] original = admin.readMessage("faulty", id).orElseThrow();
        admin.faults().corruptNextFetch(1);
        HttpResponse<byte[]> corrupted = client.getBytes("accounts/" + uid + "/mails/" + segment(id));
        assertEquals(200, corrupted.statusCode());
        assertEquals(original.length, corrupted.body().length);
        assertFalse(Arrays.equals(original, corrupted.body()));
        assertArrayEquals(original, client.getBytes("accounts/" + uid + "/mails/" + segment(id)).body());
    }

    @Test
    void truncatedFetchServesHalfTheMessage() {
        String id = inject();
        byte[] original = admin.readMessage("faulty", id).orElseThrow();
        admin.faults().truncateNextFetch(1);
        HttpResponse<byte[]> truncated = client.getBytes("accounts/" + uid + "/mails/" + segment(id));
        assertEquals(200, truncated.statusCode());
        assertArrayEquals(Arrays.copyOf(original, original.length / 2), truncated.body());
        assertArrayEquals(original, client.getBytes("accounts/" + uid + "/mails/" + segment(id)).body());
    }

    @Test
    void forcedCsrOutcome900() {
        admin.faults().nextCsrOutcome(900);
        HttpResponse<String> posted = client.post("csr", Csrs.pem(Csrs.rsa(2048), "faulty"));
        String id = posted.body().substring(posted.body().lastIndexOf('/') + 1);
        assertEquals(List.of("100", "900"), attributes(client.get("csr/" + id).body(), "status-entry", "status"));
        assertTrue(admin.certificate("faulty").isEmpty());
    }

    @Test
    void ldapSearchFailsWhileArmed() throws Exception {
        admin.faults().failNext(Endpoint.LDAP_SEARCH, 1, 503);
        // the emulator's own directory updates are not affected by (and do not consume) client faults
        admin.issueCertificate("faulty", Csrs.rsa(2048).getPublic());
        try (com.unboundid.ldap.sdk.LDAPConnection ldap = Ldap.plain(emulator)) {
            com.unboundid.ldap.sdk.LDAPSearchException e = assertThrows(com.unboundid.ldap.sdk.LDAPSearchException.class,
                    () -> ldap.search(emulator.ldapBaseDn(), com.unboundid.ldap.sdk.SearchScope.SUB, "(cn=faulty)"));
            assertEquals(com.unboundid.ldap.sdk.ResultCode.UNAVAILABLE, e.getResultCode());
            assertEquals(1, ldap.search(emulator.ldapBaseDn(), com.unboundid.ldap.sdk.SearchScope.SUB, "(cn=faulty)")
                    .getEntryCount());
        }
        assertThrows(IllegalArgumentException.class, () -> admin.faults().closeConnection(Endpoint.LDAP_SEARCH, 1));
    }

    @Test
    void invalidFaultSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> admin.faults().failNext(Endpoint.HEADERS, 1, 200));
        assertThrows(IllegalArgumentException.class, () -> admin.faults().failNext(Endpoint.HEADERS, -1, 500));
        assertThrows(IllegalArgumentException.class, () -> admin.faults().nextCsrOutcome(999));
        assertNotEquals(null, admin.faults());
    }
}
