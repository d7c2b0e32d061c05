package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** This project's token profile: POST sts/token with BASIC, then Bearer on every endpoint until the token expires. */
class TokenAuthenticationTest {

    static final String PW = "Secret12AB";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

    static KvConnectEmulator emulator;
    static String uid;

    @BeforeAll
    static void start() {
        emulator = KvConnectEmulator.builder().clock(CLOCK).tokenLifetime(Duration.ofMinutes(10))
                .account(EmulatorAccount.ready("tokenuser", PW)).start();
        uid = emulator.admin().uid("tokenuser");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String token() {
        HttpResponse<String> r = new RestClient(emulator).basic("tokenuser", PW).post("sts/token", "");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("Bearer", text(r.body(), "token_type"));
        assertEquals("600", text(r.body(), "expires_in"));
        assertEquals(CLOCK.instant().plus(Duration.ofMinutes(10)).toString(), text(r.body(), "expires"));
        return text(r.body(), "access_token");
    }

    @Test
    void bearerTokenWorksUntilItExpires() {
        String token = token();
        RestClient client = new RestClient(emulator).bearer(token);
        assertEquals(200, client.get("accounts/" + uid).statusCode());
        assertEquals(404, client.get("certificates?email=tokenuser@kv-safenet.de").statusCode(), "authenticated, no cert");

        CLOCK.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertEquals(200, client.get("accounts/" + uid).statusCode());

        CLOCK.advance(Duration.ofSeconds(1));
        HttpResponse<String> expired = client.get("accounts/" + uid);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        assertTrue(text(expired.body(), "message").contains("expired"));
        assertEquals(200, new RestClient(emulator).bearer(token()).get("accounts/" + uid).statusCode(), "a new token works");
    }

    @Test
    void tokenNeedsBasicCredentialsAndUnknownTokensAreRejected() {
        assertEquals(401, new RestClient(emulator).post("sts/token", "").statusCode());
        assertEquals(401, new RestClient(emulator).basic("tokenuser", "wrong").post("sts/token", "").statusCode());
        assertEquals(401, new RestClient(emulator).bearer(token()).post("sts/token", "").statusCode());
        assertEquals(401, new RestClient(emulator).bearer("forged").get("accounts/" + uid).statusCode());
    }

    @Test
    void passwordChangeRevokesTokens() {
        try (KvConnectEmulator own = KvConnectEmulator.builder().account(EmulatorAccount.ready("changer", PW)).start()) {
            String ownUid = own.admin().uid("changer");
            HttpResponse<String> issued = new RestClient(own).basic("changer", PW).post("sts/token", "");
            RestClient bearer = new RestClient(own).bearer(text(issued.body(), "access_token"));
            assertEquals(200, bearer.get("accounts/" + ownUid).statusCode());
            assertEquals(204, bearer.post("accounts/" + ownUid + "/password", "NewSecret34CD").statusCode());
            assertEquals(401, bearer.get("accounts/" + ownUid).statusCode());
        }
    }
}
