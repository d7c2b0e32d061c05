package io.github.camelkvconnect.emulator.rest;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens of this project's own STS profile ({@code POST sts/token}): random opaque values bound to an account
 * and an expiry instant of the emulator's clock. Tokens live in memory only.
 */
public final class TokenService {

    /**
     * An issued token.
     *
     * @param value    the opaque token
     * @param username the account
     * @param expires  the expiry instant
     */
    public record Token(String value, String username, Instant expires) {
        @Override
        public String toString() {
            return "Token[" + username + ", expires " + expires + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    /**
     * @param clock the clock
     * @param lifetime how long a token is valid
     */
    public TokenService(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** @return a new token for the account */
    public Token issue(String username) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        Token token = new Token(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), username,
                clock.instant().plus(lifetime));
        tokens.put(token.value(), token);
        return token;
    }

    /** @return the token lifetime */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * @param value the presented token
     * @return the username
     * @throws HttpProblem 401 if the token is unknown or expired
     */
    public String resolve(String value) {
        Token token = tokens.get(value);
        String challenge = "Bearer realm=\"KV-Connect\", error=\"invalid_token\"";
        if (token == null) {
            throw new HttpProblem(401, "Unknown bearer token; get a new one with POST sts/token",
                    Map.of("WWW-Authenticate", challenge));
        }
        if (!clock.instant().isBefore(token.expires())) {
            tokens.remove(value);
            throw new HttpProblem(401, "The bearer token expired at " + token.expires()
                    + "; get a new one with POST sts/token", Map.of("WWW-Authenticate", challenge));
        }
        return token.username();
    }

    /** Invalidates every token of the account (after a password change). */
    public void revokeAll(String username) {
        tokens.values().removeIf(t -> t.username().equalsIgnoreCase(username));
    }
}
