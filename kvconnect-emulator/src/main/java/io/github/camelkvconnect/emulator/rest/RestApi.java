package io.github.camelkvconnect.emulator.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.Endpoint;
import io.github.camelkvconnect.emulator.faults.FaultState.DeleteFailure;
import io.github.camelkvconnect.emulator.faults.FaultState.FetchDamage;
import io.github.camelkvconnect.emulator.pki.CsrService;
import io.github.camelkvconnect.emulator.pki.Pem;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.MailStore;
import io.github.camelkvconnect.emulator.store.MessageContent;
import io.github.camelkvconnect.emulator.store.MessageHeaders;
import io.github.camelkvconnect.emulator.store.PasswordPolicy;
import io.github.camelkvconnect.emulator.store.StoredMessage;

/**
 * The KV-Connect Server 2.7 REST API below {@code /kvconnect/rest/} (domain reference §3), plus this project's token
 * profile ({@code sts/token}) and the address book below {@code /vzd/}.
 */
final class RestApi {

    /** The base path of the REST API. */
    static final String BASE = "/kvconnect/rest/";

    /** Handles one routed call. */
    interface Handler {
        void handle(HttpCall call) throws IOException;
    }

    /** A resolved route: the endpoint (for faults) and its handler. */
    record Route(Endpoint endpoint, Handler handler) {
    }

    private static final Map<String, String> BASIC_CHALLENGE = Map.of("WWW-Authenticate", "Basic realm=\"KV-Connect\"");

    private final ServerContext ctx;

    RestApi(ServerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * @param call     the call
     * @param segments the path segments below the base path ({@code vzd/...} for the address book)
     * @return the route
     * @throws HttpProblem 404 for unknown paths, 405 for a wrong method
     */
    Route route(HttpCall call, List<String> segments) {
        String method = call.method();
        int n = segments.size();
        String first = n > 0 ? segments.get(0) : "";
        switch (first) {
            case "server":
                if (n == 2 && "version".equals(segments.get(1))) {
                    return only(method, "GET", Endpoint.SERVER_VERSION, this::version);
                }
                break;
            case "login":
                if (n == 2) {
                    return only(method, "GET", Endpoint.LOGIN, c -> login(c, segments.get(1)));
                }
                break;
            case "accounts":
                if (n >= 2) {
                    return accountRoute(method, segments);
                }
                break;
            case "mails":
                if (n == 1) {
                    return only(method, "POST", Endpoint.MAIL_SEND, this::send);
                }
                break;
            case "certificates":
                if (n == 1) {
                    return only(method, "GET", Endpoint.CERTIFICATES, this::certificate);
                }
                break;
            case "csr":
                if (n == 1) {
                    return only(method, "POST", Endpoint.CSR_POST, this::postCsr);
                }
                if (n == 2) {
                    return only(method, "GET", Endpoint.CSR_STATUS, c -> csrStatus(c, segments.get(1)));
                }
                break;
            case "sts":
                if (n == 2 && "token".equals(segments.get(1))) {
                    return only(method, "POST", Endpoint.TOKEN, this::token);
                }
                break;
            case "vzd":
                if (n == 2 && "accounts.json.zip".equals(segments.get(1))) {
                    return only(method, "GET", Endpoint.ADDRESS_BOOK, c -> addressBook(c, true));
                }
                if (n == 2 && "accounts.xml.zip".equals(segments.get(1))) {
                    return only(method, "GET", Endpoint.ADDRESS_BOOK, c -> addressBook(c, false));
                }
                break;
            default:
                break;
        }
        throw new HttpProblem(404, "No such resource: " + String.join("/", segments));
    }

    private Route accountRoute(String method, List<String> segments) {
        String uid = segments.get(1);
        int n = segments.size();
        if (n == 2) {
            return only(method, "GET", Endpoint.ACCOUNT, c -> account(c, uid));
        }
        String resource = segments.get(2);
        if (n == 3 && ("headers".equals(resource) || "headers(short)".equals(resource))) {
            return only(method, "GET", Endpoint.HEADERS, c -> headers(c, uid));
        }
        if (n == 3 && "mails".equals(resource)) {
            return only(method, "GET", Endpoint.MAILS, c -> allMails(c, uid));
        }
        if (n >= 4 && "mails".equals(resource)) {
            // An unencoded '/' inside a Message-ID splits it into several segments; join them back.
            String messageId = String.join("/", segments.subList(3, n));
            if ("GET".equals(method)) {
                return new Route(Endpoint.MAIL_GET, c -> mail(c, uid, messageId));
            }
            if ("DELETE".equals(method)) {
                return new Route(Endpoint.MAIL_DELETE, c -> deleteMail(c, uid, messageId));
            }
            throw methodNotAllowed("GET, DELETE");
        }
        if (n == 3 && "certificate".equals(resource)) {
            return only(method, "DELETE", Endpoint.CERTIFICATE_DELETE, c -> deleteCertificate(c, uid));
        }
        if (n == 3 && "password".equals(resource)) {
            return only(method, "POST", Endpoint.PASSWORD, c -> password(c, uid));
        }
        throw new HttpProblem(404, "No such resource: " + String.join("/", segments));
    }

    private static Route only(String method, String allowed, Endpoint endpoint, Handler handler) {
        if (!allowed.equals(method)) {
            throw methodNotAllowed(allowed);
        }
        return new Route(endpoint, handler);
    }

    private static HttpProblem methodNotAllowed(String allowed) {
        return new HttpProblem(405, "Method not allowed here; use " + allowed, Map.of("Allow", allowed));
    }

    // ---------------------------------------------------------------- authentication

    /** BASIC or Bearer; 401 otherwise. */
    private AccountRecord authenticate(HttpCall call) {
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
    private AccountRecord own(HttpCall call, String uid) {
        AccountRecord caller = authenticate(call);
        AccountRecord target = ctx.accounts().byUid(uid)
                .orElseThrow(() -> new HttpProblem(404, "No account with uid " + uid));
        if (target != caller) {
            throw new HttpProblem(403, "The account " + uid + " belongs to another user");
        }
        return caller;
    }

    // ---------------------------------------------------------------- handlers

    private void version(HttpCall call) {
        call.text(200, "2.7.0");
    }

    private void login(HttpCall call, String username) {
        AccountRecord caller = authenticate(call);
        if (!caller.username().equalsIgnoreCase(username)) {
            throw new HttpProblem(403, "Logged in as " + caller.username() + ", not as " + username);
        }
        call.responseHeader("Location", BASE + "accounts/" + segment(caller.uid()));
        call.empty(302);
    }

    private void account(HttpCall call, String uid) {
        AccountRecord a = own(call, uid);
        call.xml(200, Xml.document().start("account").attribute("uid", a.uid())
                .element("email", a.address())
                .element("passwordLastChange", iso(a.passwordLastChange()))
                .element("passwordChangeNeeded", Boolean.toString(a.passwordChangeNeeded()))
                .end());
    }

    private void headers(HttpCall call, String uid) {
        AccountRecord a = own(call, uid);
        List<StoredMessage> messages = ctx.mails().list(a.username());
        int from = index(call, "from", 0);
        int to = Math.min(index(call, "to", messages.size()), messages.size());
        if (from > to && from < messages.size()) {
            throw new HttpProblem(400, "Query parameter from (" + from + ") must not be greater than to (" + to + ")");
        }
        Xml xml = Xml.document().start("headers");
        for (int i = from; i < to; i++) {
            xml.start("header");
            messages.get(i).headers().forEach(xml::element);
            xml.end();
        }
        call.xml(200, xml.end());
    }

    private static int index(HttpCall call, String name, int fallback) {
        String value = call.query(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(value.trim());
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new HttpProblem(400, "Query parameter " + name + " must be a non-negative integer index, not '" + value + "'");
        }
    }

    private void allMails(HttpCall call, String uid) throws IOException {
        AccountRecord a = own(call, uid);
        List<StoredMessage> messages = ctx.mails().list(a.username());
        String boundary = "kvc-emulator-" + UUID.randomUUID();
        call.start(200, "multipart/mixed; boundary=\"" + boundary + "\"", 0);
        try (OutputStream out = call.stream()) {
            for (StoredMessage m : messages) {
                out.write(("--" + boundary + "\r\nContent-Type: message/rfc822\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                try (InputStream in = m.open()) {
                    in.transferTo(out);
                }
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void mail(HttpCall call, String uid, String messageId) throws IOException {
        AccountRecord a = own(call, uid);
        StoredMessage m = ctx.mails().find(a.username(), messageId)
                .orElseThrow(() -> new HttpProblem(404, "No message " + messageId + " in the mailbox"));
        FetchDamage damage = ctx.faults().consumeFetchDamage().orElse(null);
        if (damage != null) {
            call.bytes(200, "message/rfc822", damage(m.bytes(), damage));
            return;
        }
        InputStream in;
        try {
            in = m.open();
        } catch (java.nio.file.NoSuchFileException e) {
            // deleted by a concurrent DELETE between lookup and open
            throw new HttpProblem(404, "No message " + messageId + " in the mailbox");
        }
        try (in) {
            call.start(200, "message/rfc822", m.size() == 0 ? -1 : m.size());
            try (OutputStream out = call.stream()) {
                in.transferTo(out);
            }
        }
    }

    private static byte[] damage(byte[] raw, FetchDamage damage) {
        if (damage == FetchDamage.TRUNCATE) {
            return java.util.Arrays.copyOf(raw, raw.length / 2);
        }
        byte[] out = raw.clone();
        int middle = out.length / 2;
        for (int i = middle; i < Math.min(out.length, middle + 16); i++) {
            out[i] = (byte) (out[i] ^ 0x5A);
        }
        return out;
    }

    private void deleteMail(HttpCall call, String uid, String messageId) {
        AccountRecord a = own(call, uid);
        if (ctx.mails().find(a.username(), messageId).isEmpty()) {
            throw new HttpProblem(404, "No message " + messageId + " in the mailbox");
        }
        DeleteFailure failure = ctx.faults().consumeDeleteFailure().orElse(null);
        if (failure != null) {
            if (failure.deleteAnyway()) {
                ctx.mails().delete(a.username(), messageId);
            }
            throw new HttpProblem(failure.status(), "Deleting the message failed (emulated fault)");
        }
        ctx.mails().delete(a.username(), messageId);
        call.empty(204);
    }

    private void send(HttpCall call) throws IOException {
        AccountRecord sender = authenticate(call);
        try (MessageContent content = call.bodyContent(ctx.spool())) {
            MessageHeaders headers;
            try (InputStream in = content.open()) {
                headers = MessageHeaders.parse(in);
            } catch (IllegalArgumentException e) {
                throw new HttpProblem(400, e.getMessage());
            }
            List<String> usernames = recipients(sender, headers);
            try {
                ctx.mails().deliver(content, headers, usernames);
            } catch (MailStore.DuplicateMessageException e) {
                throw new HttpProblem(409, e.getMessage());
            }
            Xml xml = Xml.document().start("delivery").attribute("message-id", headers.messageId());
            headers.recipients().forEach(r -> xml.element("recipient", r));
            call.xml(200, xml.end());
        }
    }

    /** Checks the clear routing headers; @return the recipients' usernames */
    private List<String> recipients(AccountRecord sender, MessageHeaders headers) {
        if (headers.messageId() == null || MailStore.key(headers.messageId()).isEmpty()) {
            throw new HttpProblem(400, "The message has no Message-ID header; set one (<uuid@kv-safenet.de>)");
        }
        if (headers.from() == null) {
            throw new HttpProblem(400, "The message has no From header; set it to " + sender.address());
        }
        if (!headers.from().equalsIgnoreCase(sender.address())) {
            throw new HttpProblem(403, "From " + headers.from() + " does not match the authenticated account "
                    + sender.address());
        }
        if (headers.recipients().isEmpty()) {
            throw new HttpProblem(400, "The message has no To or Cc recipient in its clear headers");
        }
        List<String> usernames = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String address : headers.recipients()) {
            ctx.accounts().byAddress(address).ifPresentOrElse(r -> usernames.add(r.username()), () -> unknown.add(address));
        }
        if (!unknown.isEmpty()) {
            throw new HttpProblem(422, "Unknown recipient(s): " + String.join(", ", unknown)
                    + "; nothing was delivered. Only KV-Connect accounts (<username>@" + EmulatorAccount.DOMAIN
                    + ") can receive messages");
        }
        return usernames;
    }

    private void certificate(HttpCall call) {
        authenticate(call);
        String email = call.query("email");
        String uid = call.query("uid");
        if ((email == null) == (uid == null)) {
            throw new HttpProblem(400, "Give exactly one of the query parameters email or uid");
        }
        AccountRecord target = (email != null ? ctx.accounts().byAddress(email) : ctx.accounts().byUid(uid))
                .orElseThrow(() -> new HttpProblem(404, "No account " + (email != null ? email : uid)));
        X509Certificate cert = target.certificate()
                .orElseThrow(() -> new HttpProblem(404, "The account " + target.address() + " has no certificate"));
        call.xml(200, Xml.document().start("certificate")
                .element("id", cert.getSerialNumber().toString(16))
                .element("email", target.address())
                .element("body", Pem.encode(cert))
                .element("validFrom", iso(cert.getNotBefore().toInstant()))
                .element("validTo", iso(cert.getNotAfter().toInstant()))
                .end());
    }

    private void deleteCertificate(HttpCall call, String uid) {
        AccountRecord a = own(call, uid);
        if (!ctx.certificates().delete(a)) {
            throw new HttpProblem(404, "The account has no certificate");
        }
        call.empty(204);
    }

    private void password(HttpCall call, String uid) {
        AccountRecord a = own(call, uid);
        String password = call.bodyText().replaceAll("[\\r\\n]+$", "");
        if (password.isEmpty()) {
            throw new HttpProblem(400, "The body must be the new password as text/plain");
        }
        PasswordPolicy.violations(password).ifPresent(msg -> {
            throw new HttpProblem(422, msg);
        });
        if (ctx.accounts().authenticate(a.username(), password).isPresent()) {
            throw new HttpProblem(422, "The new password must differ from the current one");
        }
        ctx.accounts().changePassword(a, password);
        ctx.tokens().revokeAll(a.username());
        call.empty(204);
    }

    private void postCsr(HttpCall call) {
        AccountRecord a = authenticate(call);
        if (a.passwordChangeNeeded()) {
            throw new HttpProblem(403, "The initial password must be changed (POST accounts/{uid}/password)"
                    + " before a certificate can be requested");
        }
        CsrService.Csr csr;
        try {
            csr = ctx.csrs().submit(a, call.bodyText());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, e.getMessage());
        }
        String path = BASE + "csr/" + csr.id();
        call.responseHeader("Location", path);
        call.text(201, path);
    }

    private void csrStatus(HttpCall call, String id) {
        AccountRecord a = authenticate(call);
        CsrService.Csr csr = ctx.csrs().poll(id).orElseThrow(() -> new HttpProblem(404, "No CSR " + id));
        if (!csr.username().equalsIgnoreCase(a.username())) {
            throw new HttpProblem(403, "The CSR " + id + " belongs to another user");
        }
        Xml xml = Xml.document().start("csr-status").attribute("id", csr.id()).start("status-entries");
        for (CsrService.StatusEntry e : csr.entries()) {
            xml.start("status-entry").attribute("status", Integer.toString(e.status())).attribute("date", iso(e.date())).end();
        }
        xml.end();
        if (csr.reason() != null) {
            xml.element("message", csr.reason());
        }
        call.xml(200, xml.end());
    }

    private void token(HttpCall call) {
        String auth = call.header("Authorization");
        if (auth == null || !auth.trim().toLowerCase(Locale.ROOT).startsWith("basic ")) {
            throw new HttpProblem(401, "POST sts/token needs HTTP BASIC credentials", BASIC_CHALLENGE);
        }
        AccountRecord a = authenticate(call);
        TokenService.Token token = ctx.tokens().issue(a.username());
        call.xml(200, Xml.document().start("token")
                .element("access_token", token.value())
                .element("token_type", "Bearer")
                .element("expires_in", Long.toString(ctx.tokens().lifetime().toSeconds()))
                .element("expires", iso(token.expires()))
                .end());
    }

    private void addressBook(HttpCall call, boolean json) {
        authenticate(call);
        Instant modified = ctx.accounts().directoryChanged().truncatedTo(ChronoUnit.SECONDS);
        String since = call.header("If-Modified-Since");
        if (since != null) {
            try {
                Instant ims = DateTimeFormatter.RFC_1123_DATE_TIME.parse(since.trim(), Instant::from);
                if (!modified.isAfter(ims)) {
                    call.responseHeader("Last-Modified", httpDate(modified));
                    call.empty(304);
                    return;
                }
            } catch (DateTimeParseException e) {
                // RFC 9110: an invalid If-Modified-Since is ignored.
            }
        }
        call.responseHeader("Last-Modified", httpDate(modified));
        call.bytes(200, "application/zip",
                json ? AddressBook.jsonZip(ctx.accounts()) : AddressBook.xmlZip(ctx.accounts()));
    }

    // ---------------------------------------------------------------- helpers

    private static String iso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** Percent-encodes one path segment (RFC 3986 unreserved characters stay, '@' too). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }
}
