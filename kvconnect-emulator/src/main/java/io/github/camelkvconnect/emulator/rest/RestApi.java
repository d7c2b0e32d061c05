package io.github.camelkvconnect.emulator.rest;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.camelkvconnect.emulator.Endpoint;
import io.github.camelkvconnect.emulator.pki.RevocationList;
import io.github.camelkvconnect.emulator.store.AccountRecord;
import io.github.camelkvconnect.emulator.store.PasswordPolicy;

/**
 * The KV-Connect Server 2.7 REST API below {@code /kvconnect/rest/} (domain reference §3), plus this project's token
 * profile ({@code sts/token}), the address book below {@code /vzd/} and the CRL distribution points below
 * {@code /crl/}.
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

    private final ServerContext ctx;
    private final RestAuthenticator auth;
    private final MailResources mails;
    private final CertificateResources certificates;

    RestApi(ServerContext ctx) {
        this.ctx = ctx;
        this.auth = new RestAuthenticator(ctx);
        this.mails = new MailResources(ctx, auth);
        this.certificates = new CertificateResources(ctx, auth);
    }

    /**
     * @param call     the call
     * @param segments the path segments below the base path ({@code vzd/...} for the address book, {@code crl/...}
     *                 for the CRLs)
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
                    return only(method, "POST", Endpoint.MAIL_SEND, mails::send);
                }
                break;
            case "certificates":
                if (n == 1) {
                    return only(method, "GET", Endpoint.CERTIFICATES, certificates::certificate);
                }
                break;
            case "csr":
                if (n == 1) {
                    return only(method, "POST", Endpoint.CSR_POST, certificates::postCsr);
                }
                if (n == 2) {
                    return only(method, "GET", Endpoint.CSR_STATUS, c -> certificates.csrStatus(c, segments.get(1)));
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
            case "crl":
                if (n == 2 && "user-ca.crl".equals(segments.get(1))) {
                    return only(method, "GET", Endpoint.CRL, c -> crl(c, ctx.pki().userCaRevocations()));
                }
                if (n == 2 && "root-ca.crl".equals(segments.get(1))) {
                    return only(method, "GET", Endpoint.CRL, c -> crl(c, ctx.pki().rootCaRevocations()));
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
            return only(method, "GET", Endpoint.HEADERS, c -> mails.headers(c, uid));
        }
        if (n == 3 && "mails".equals(resource)) {
            return only(method, "GET", Endpoint.MAILS, c -> mails.allMails(c, uid));
        }
        if (n >= 4 && "mails".equals(resource)) {
            // An unencoded '/' inside a Message-ID splits it into several segments; join them back.
            String messageId = String.join("/", segments.subList(3, n));
            if ("GET".equals(method)) {
                return new Route(Endpoint.MAIL_GET, c -> mails.mail(c, uid, messageId));
            }
            if ("DELETE".equals(method)) {
                return new Route(Endpoint.MAIL_DELETE, c -> mails.deleteMail(c, uid, messageId));
            }
            throw methodNotAllowed("GET, DELETE");
        }
        if (n == 3 && "certificate".equals(resource)) {
            return only(method, "DELETE", Endpoint.CERTIFICATE_DELETE, c -> certificates.deleteCertificate(c, uid));
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

    // ---------------------------------------------------------------- handlers

    private void version(HttpCall call) {
        call.text(200, "2.7.0");
    }

    private void login(HttpCall call, String username) {
        AccountRecord caller = auth.authenticate(call);
        if (!caller.username().equalsIgnoreCase(username)) {
            throw new HttpProblem(403, "Logged in as " + caller.username() + ", not as " + username);
        }
        call.responseHeader("Location", BASE + "accounts/" + Formats.segment(caller.uid()));
        call.empty(302);
    }

    private void account(HttpCall call, String uid) {
        AccountRecord a = auth.own(call, uid);
        call.xml(200, Xml.document().start("account").attribute("uid", a.uid())
                .element("email", a.address())
                .element("passwordLastChange", Formats.iso(a.passwordLastChange()))
                .element("passwordChangeNeeded", Boolean.toString(a.passwordChangeNeeded()))
                .end());
    }

    private void password(HttpCall call, String uid) {
        AccountRecord a = auth.own(call, uid);
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

    private void token(HttpCall call) {
        String authorization = call.header("Authorization");
        if (authorization == null || !authorization.trim().toLowerCase(Locale.ROOT).startsWith("basic ")) {
            throw new HttpProblem(401, "POST sts/token needs HTTP BASIC credentials", RestAuthenticator.BASIC_CHALLENGE);
        }
        AccountRecord a = auth.authenticate(call);
        TokenService.Token token = ctx.tokens().issue(a.username());
        call.xml(200, Xml.document().start("token")
                .element("access_token", token.value())
                .element("token_type", "Bearer")
                .element("expires_in", Long.toString(ctx.tokens().lifetime().toSeconds()))
                .element("expires", Formats.iso(token.expires()))
                .end());
    }

    /**
     * A CRL distribution point: DER, {@code application/pkix-crl} (RFC 2585), no authentication (a CRL is signed;
     * relying parties fetch it without an account).
     */
    private static void crl(HttpCall call, RevocationList list) {
        java.security.cert.X509CRL crl = list.current();
        byte[] der;
        try {
            der = crl.getEncoded();
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException("cannot encode the CRL", e);
        }
        call.responseHeader("Last-Modified", Formats.httpDate(crl.getThisUpdate().toInstant()));
        call.bytes(200, "application/pkix-crl", der);
    }

    private void addressBook(HttpCall call, boolean json) {
        auth.authenticate(call);
        Instant modified = ctx.accounts().directoryChanged().truncatedTo(ChronoUnit.SECONDS);
        String since = call.header("If-Modified-Since");
        if (since != null) {
            try {
                Instant ims = DateTimeFormatter.RFC_1123_DATE_TIME.parse(since.trim(), Instant::from);
                if (!modified.isAfter(ims)) {
                    call.responseHeader("Last-Modified", Formats.httpDate(modified));
                    call.empty(304);
                    return;
                }
            } catch (DateTimeParseException e) {
                // RFC 9110: an invalid If-Modified-Since is ignored.
            }
        }
        call.responseHeader("Last-Modified", Formats.httpDate(modified));
        call.bytes(200, "application/zip",
                json ? AddressBook.jsonZip(ctx.accounts()) : AddressBook.xmlZip(ctx.accounts()));
    }

}
