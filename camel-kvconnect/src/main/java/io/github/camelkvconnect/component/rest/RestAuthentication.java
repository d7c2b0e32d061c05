package io.github.camelkvconnect.component.rest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Element;

/**
 * How REST requests authenticate: HTTP BASIC on every request (the KV-Connect default), or a bearer token obtained
 * from {@code POST sts/token} with BASIC credentials (the emulator's token profile), reused until it expires and
 * renewed transparently when the server answers 401.
 */
public abstract class RestAuthentication {

    protected KvConnectRestClient client;

    void bind(KvConnectRestClient client) {
        this.client = client;
    }

    /** Adds the Authorization header to a request. */
    abstract HttpRequest.Builder apply(HttpRequest.Builder request) throws IOException;

    /** Forget cached credentials after a 401; {@code true} if a retry with fresh credentials makes sense. */
    abstract boolean renewOnUnauthorized();

    /** BASIC authentication on every request. */
    public static RestAuthentication basic(String username, char[] password) {
        return new Basic(username, password);
    }

    /** Bearer tokens from {@code POST sts/token}. */
    public static RestAuthentication token(String username, char[] password, Clock clock) {
        return new Token(new Basic(username, password), clock);
    }

    private static final class Basic extends RestAuthentication {
        private final String header;

        Basic(String username, char[] password) {
            byte[] raw = (username + ":" + new String(password)).getBytes(StandardCharsets.UTF_8);
            this.header = "Basic " + Base64.getEncoder().encodeToString(raw);
        }

        @Override
        HttpRequest.Builder apply(HttpRequest.Builder request) {
            return request.setHeader("Authorization", header);
        }

        @Override
        boolean renewOnUnauthorized() {
            return false;
        }

        @Override
        public String toString() {
            return "BASIC";
        }
    }

    private static final class Token extends RestAuthentication {
        /** Renew a little before the stated expiry so a token never runs out in flight. */
        private static final Duration MARGIN = Duration.ofSeconds(5);
        private static final Pattern JSON_TOKEN = Pattern.compile("\"(?:access_token|token)\"\\s*:\\s*\"([^\"]+)\"");
        private static final Pattern JSON_EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

        private final Basic basic;
        private final Clock clock;
        private String token;
        private Instant expires = Instant.MIN;

        Token(Basic basic, Clock clock) {
            this.basic = basic;
            this.clock = clock;
        }

        @Override
        synchronized HttpRequest.Builder apply(HttpRequest.Builder request) throws IOException {
            if (token == null || clock.instant().isAfter(expires.minus(MARGIN))) {
                fetch();
            }
            return request.setHeader("Authorization", "Bearer " + token);
        }

        @Override
        synchronized boolean renewOnUnauthorized() {
            token = null;
            return true;
        }

        private void fetch() throws IOException {
            HttpRequest.Builder b = basic.apply(client.request("sts/token"))
                    .header("Content-Type", "text/plain;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.noBody());
            HttpResponse<String> r = client.sendUnauthenticated(b, "POST", "sts/token");
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw client.error("POST", "sts/token", r.statusCode(),
                        r.statusCode() == 401 ? "the credentials of user " + client.username() + " were refused" : null, null);
            }
            parse(r.body().strip());
        }

        private void parse(String body) throws IOException {
            Instant now = clock.instant();
            if (body.startsWith("<")) {
                Element root = XmlDocuments.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "sts/token");
                String value = firstNonBlank(XmlDocuments.text(root, "value"), XmlDocuments.text(root, "access_token"),
                        XmlDocuments.text(root, "token"), root.getAttribute("value"));
                if (value == null && XmlDocuments.children(root).isEmpty()) {
                    value = root.getTextContent().strip();
                }
                token = value;
                expires = expiry(now, firstNonBlank(XmlDocuments.text(root, "expires"), XmlDocuments.text(root, "expiresAt"),
                        XmlDocuments.text(root, "validTo"), root.getAttribute("expires")),
                        firstNonBlank(XmlDocuments.text(root, "expires_in"), XmlDocuments.text(root, "expiresIn"),
                                root.getAttribute("expiresIn")));
            } else if (body.startsWith("{")) {
                Matcher m = JSON_TOKEN.matcher(body);
                token = m.find() ? m.group(1) : null;
                Matcher e = JSON_EXPIRES_IN.matcher(body);
                expires = expiry(now, null, e.find() ? e.group(1) : null);
            } else {
                token = body;
                expires = now.plus(Duration.ofMinutes(1));
            }
            if (token == null || token.isBlank()) {
                throw client.error("POST", "sts/token", 200, "the answer carries no token", null);
            }
        }

        private static Instant expiry(Instant now, String at, String inSeconds) {
            if (at != null) {
                try {
                    return Instant.parse(at);
                } catch (DateTimeParseException e) {
                    try {
                        return Instant.ofEpochMilli(Long.parseLong(at));
                    } catch (NumberFormatException ignore) {
                        // fall through to the relative form or the default
                    }
                }
            }
            if (inSeconds != null) {
                try {
                    return now.plusSeconds(Long.parseLong(inSeconds.strip()));
                } catch (NumberFormatException ignore) {
                    // use the default
                }
            }
            return now.plus(Duration.ofMinutes(1));
        }

        private static String firstNonBlank(String... values) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "TOKEN";
        }
    }
}
