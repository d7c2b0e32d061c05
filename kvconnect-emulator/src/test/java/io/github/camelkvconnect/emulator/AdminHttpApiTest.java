package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The admin HTTP API: registration, mailbox listing and injection, faults; own credentials. */
class AdminHttpApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static KvConnectEmulator emulator;
    static RestClient adminClient;

    @BeforeAll
    static void start() {
        emulator = KvConnectEmulator.builder().adminCredentials("kv-admin", "AdminPass99").start();
        adminClient = new RestClient(emulator, emulator.adminBaseUri()).basic("kv-admin", "AdminPass99");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> postJson(String path, String json) {
        return adminClient.send(adminClient.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void adminCredentialsAreRequired() {
        assertEquals(new EmulatorCredentials("kv-admin", "AdminPass99"), emulator.adminCredentials());
        assertEquals(401, new RestClient(emulator, emulator.adminBaseUri()).get("accounts").statusCode());
        assertEquals(401, new RestClient(emulator, emulator.adminBaseUri()).basic("kv-admin", "wrong").get("accounts").statusCode());
        assertTrue(!emulator.adminCredentials().toString().contains("AdminPass99"));
    }

    @Test
    void registerAccountThenUseItOverRest() throws Exception {
        HttpResponse<String> created = postJson("accounts", """
                {"username": "praxis.neu", "password": "Initial1xy", "title": "Dr.", "givenName": "Nina",
                 "surname": "Neu", "practice": "Praxis Neu", "bsnr": "721111100", "lanr": "999999901",
                 "street": "Weg 2", "postalCode": "20095", "city": "Hamburg", "kv": "01"}""");
        assertEquals(201, created.statusCode(), created.body());
        String uid = json(created).path("uid").asText();
        assertTrue(uid.endsWith("@01"), uid);

        HttpResponse<String> account = new RestClient(emulator).basic("praxis.neu", "Initial1xy").get("accounts/" + uid);
        assertEquals(200, account.statusCode());
        assertEquals("true", RestClient.text(account.body(), "passwordChangeNeeded"), "new accounts must change the password");

        assertEquals(409, postJson("accounts", "{\"username\": \"praxis.neu\", \"password\": \"x\"}").statusCode());
        HttpResponse<String> invalid = postJson("accounts", "{\"username\": \"bad name!\", \"password\": \"x\"}");
        assertEquals(400, invalid.statusCode());
        assertTrue(invalid.body().contains("username"));
        assertEquals(400, postJson("accounts", "{\"username\": \"x\", \"password\": \"y\", \"unknownField\": 1}").statusCode());
        assertEquals(400, postJson("accounts", "not json").statusCode());

        JsonNode listed = null;
        for (JsonNode n : json(adminClient.get("accounts"))) {
            if ("praxis.neu".equals(n.path("username").asText())) {
                listed = n;
            }
        }
        assertEquals(uid, listed.path("uid").asText());
        assertEquals("praxis.neu@kv-safenet.de", listed.path("address").asText());
        assertEquals(false, listed.path("hasCertificate").asBoolean());
    }

    @Test
    void injectListAndClearMailbox() throws Exception {
        emulator.admin().createAccount(EmulatorAccount.ready("postfach", "Secret12AB"));
        String id = Messages.newMessageId();
        HttpResponse<String> injected = adminClient.post("mailboxes/postfach",
                Messages.message("x@kv-safenet.de", "postfach@kv-safenet.de", id, "injected"));
        assertEquals(201, injected.statusCode(), injected.body());
        assertEquals(id, json(injected).path("messageId").asText());

        HttpResponse<String> noId = adminClient.post("mailboxes/postfach", "From: x@kv-safenet.de\r\nSubject: no id\r\n\r\nbody");
        assertEquals(201, noId.statusCode());
        String generated = json(noId).path("messageId").asText();
        assertTrue(generated.startsWith("<") && generated.endsWith("@kv-safenet.de>"));

        JsonNode mailbox = json(adminClient.get("mailboxes/postfach"));
        assertEquals(2, mailbox.size());
        assertEquals(id, mailbox.get(0).path("messageId").asText());
        assertEquals("injected", mailbox.get(0).path("headers").path("subject").asText());

        // what was injected is served over REST
        RestClient rest = new RestClient(emulator).basic("postfach", "Secret12AB");
        assertEquals(2, RestClient.texts(rest.get("accounts/" + emulator.admin().uid("postfach") + "/headers").body(),
                "message-id").size());

        assertEquals(409, adminClient.post("mailboxes/postfach",
                Messages.message("x@kv-safenet.de", "postfach@kv-safenet.de", id, "again")).statusCode());
        assertEquals(404, adminClient.get("mailboxes/nobody").statusCode());
        assertEquals(2, json(adminClient.delete("mailboxes/postfach")).path("deleted").asInt());
        assertEquals(0, json(adminClient.get("mailboxes/postfach")).size());
    }

    @Test
    void armAndResetFaults() throws Exception {
        HttpResponse<String> armed = postJson("faults", "{\"type\": \"FAIL\", \"endpoint\": \"server_version\", \"count\": 1, \"status\": 500}");
        assertEquals(200, armed.statusCode(), armed.body());
        assertEquals(1, json(armed).path("SERVER_VERSION").path("failNext").asInt());
        assertEquals(500, new RestClient(emulator).get("server/version").statusCode());
        assertEquals(200, new RestClient(emulator).get("server/version").statusCode());

        assertEquals(200, postJson("faults", "{\"type\": \"DELETE_FAILS\", \"count\": 2, \"status\": 503, \"deleteAnyway\": true}").statusCode());
        assertEquals(200, postJson("faults", "{\"type\": \"TRUNCATE_FETCH\", \"count\": 1}").statusCode());
        assertEquals(200, postJson("faults", "{\"type\": \"CSR_OUTCOME\", \"status\": 902}").statusCode());
        assertEquals(200, postJson("faults", "{\"type\": \"LATENCY\", \"endpoint\": \"HEADERS\", \"latencyMillis\": 5}").statusCode());
        assertEquals(200, postJson("faults", "{\"type\": \"CLOSE_CONNECTION\", \"endpoint\": \"MAIL_GET\", \"count\": 1}").statusCode());
        assertEquals(200, postJson("faults", "{\"type\": \"CORRUPT_FETCH\", \"count\": 1}").statusCode());
        JsonNode state = json(adminClient.get("faults"));
        assertEquals(2, state.path("deleteFailure").path("count").asInt());
        assertEquals(902, state.path("nextCsrOutcome").asInt());

        assertEquals(400, postJson("faults", "{\"type\": \"FAIL\", \"endpoint\": \"NOPE\"}").statusCode());
        assertEquals(400, postJson("faults", "{\"type\": \"EXPLODE\"}").statusCode());
        assertEquals(400, postJson("faults", "{\"type\": \"FAIL\", \"endpoint\": \"HEADERS\", \"status\": 200}").statusCode());

        assertEquals(204, adminClient.delete("faults").statusCode());
        assertEquals(0, json(adminClient.get("faults")).size());
        assertEquals(404, adminClient.get("nothing").statusCode());
    }
}
