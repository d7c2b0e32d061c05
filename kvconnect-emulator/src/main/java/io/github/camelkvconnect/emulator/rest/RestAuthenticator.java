package io.github.camelkvconnect.emulator.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import io.github.camelkvconnect.emulator.store.AccountRecord;

/**
 * Authenticates REST calls: HTTP BASIC against the accounts, or a bearer token of the token profile; and checks
 * that an {@code accounts/{uid}} resource belongs to the caller.
 */
final class RestAuthenticator {

    static final Map<String, String> BASIC_CHALLENGE = Map.of("WWW-Authenticate", "Basic realm=\"KV-Connect\"");

    private final ServerContext ctx;

    RestAuthenticator(ServerContext ctx) {
        this.ctx = ctx;
    }

    /** BASIC or Bearer; 401 otherwise. */
    AccountRecord authenticate(HttpCall call) {
        String auth = call.header("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new HttpProblem(401, "Authentication required: send HTTP BASIC credentials or a bearer token",
                    BASIC_CHALLENGE);
        }
        String[] parts = auth.trim().split("\\s+", 2);
        String scheme = parts[0].toLowerCase(Locale.ROOT);
        String value = parts.length > 1 ? parts[1] : "";
        if ("basic".equals(scheme)) {
            return basic(value);
        }
        if ("bearer".equals(scheme)) {
            String username = ctx.tokens().resolve(value);
            return ctx.accounts().byUsername(username).orElseThrow(() ->
                    new HttpProblem(401, "The token's account no longer exists", BASIC_CHALLENGE));
        }
        throw new HttpProblem(401, "Unsupported authorization scheme; use Basic or Bearer", BASIC_CHALLENGE);
    }

    private AccountRecord basic(String value) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(401, "Malformed BASIC credentials", BASIC_CHALLENGE);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new HttpProblem(401, "Malformed BASIC credentials", BASIC_CHALLENGE);
        }
        return ctx.accounts().authenticate(decoded.substring(0, colon), decoded.substring(colon + 1))
                .orElseThrow(() -> new HttpProblem(401, "Wrong username or password", BASIC_CHALLENGE));
    }

    /** The account addressed by {uid}: 404 if unknown, 403 if it is not the caller's. */
    AccountRecord own(HttpCall call, String uid) {
        AccountRecord caller = authenticate(call);
        AccountRecord target = ctx.accounts().byUid(uid)
                .orElseThrow(() -> new HttpProblem(404, "No account with uid " + uid));
        if (target != caller) {
            throw new HttpProblem(403, "The account " + uid + " belongs to another user");
        }
        return caller;
    }
}
