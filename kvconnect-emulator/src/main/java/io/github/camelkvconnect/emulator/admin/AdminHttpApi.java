package io.github.camelkvconnect.emulator.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelkvconnect.emulator.EmulatorAccount;
import io.github.camelkvconnect.emulator.EmulatorAdmin;
import io.github.camelkvconnect.emulator.EmulatorCredentials;
import io.github.camelkvconnect.emulator.EmulatorException;
import io.github.camelkvconnect.emulator.Endpoint;
import io.github.camelkvconnect.emulator.RevocationReason;
import io.github.camelkvconnect.emulator.RevokedCertificate;
import io.github.camelkvconnect.emulator.faults.FaultState;
import io.github.camelkvconnect.emulator.pki.Pem;
import io.github.camelkvconnect.emulator.rest.HttpCall;
import io.github.camelkvconnect.emulator.rest.HttpFrontend;
import io.github.camelkvconnect.emulator.rest.HttpProblem;

/**
 * The admin HTTP API below {@code /admin/} (this project's own, JSON, HTTP BASIC with the admin credentials): the
 * KV's registration step, mailbox inspection and injection, revocation and CRLs, and faults. Mirrors
 * {@link EmulatorAdmin}.
 */
public final class AdminHttpApi implements HttpFrontend.AdminHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final EmulatorAdmin admin;
    private final FaultState faults;
    private final EmulatorCredentials credentials;

    /**
     * @param admin the Java admin API
     * @param faults the fault switches
     * @param credentials the admin credentials
     */
    public AdminHttpApi(EmulatorAdmin admin, FaultState faults, EmulatorCredentials credentials) {
        this.admin = admin;
        this.faults = faults;
        this.credentials = credentials;
    }

    @Override
    public void handle(HttpCall call, List<String> segments) throws IOException {
        checkCredentials(call);
        String method = call.method();
        String first = segments.isEmpty() ? "" : segments.get(0);
        try {
            if ("accounts".equals(first) && segments.size() == 1) {
                if ("GET".equals(method)) {
                    json(call, 200, accounts());
                    return;
                }
                if ("POST".equals(method)) {
                    EmulatorAccount account = readAccount(call.body());
                    String uid = admin.createAccount(account);
                    json(call, 201, Map.of("username", account.username(), "uid", uid, "address", account.address()));
                    return;
                }
                throw notAllowed("GET, POST");
            }
            if ("mailboxes".equals(first) && segments.size() == 2) {
                String username = segments.get(1);
                switch (method) {
                    case "GET" -> json(call, 200, admin.listMailbox(username));
                    case "POST" -> json(call, 201, Map.of("messageId", admin.injectMessage(username, call.body())));
                    case "DELETE" -> json(call, 200, Map.of("deleted", admin.deleteAllMessages(username)));
                    default -> throw notAllowed("GET, POST, DELETE");
                }
                return;
            }
            if ("revocations".equals(first) && segments.size() == 1) {
                switch (method) {
                    case "GET" -> json(call, 200, admin.revokedCertificates().stream().map(AdminHttpApi::entry).toList());
                    case "POST" -> revoke(call, JSON.readTree(call.body()));
                    default -> throw notAllowed("GET, POST");
                }
                return;
            }
            if ("crls".equals(first) && segments.size() == 1) {
                switch (method) {
                    case "GET" -> json(call, 200, crls());
                    case "POST" -> {
                        admin.issueCrls();
                        json(call, 200, crls());
                    }
                    default -> throw notAllowed("GET, POST");
                }
                return;
            }
            if ("faults".equals(first) && segments.size() == 1) {
                switch (method) {
                    case "GET" -> json(call, 200, faults.describe());
                    case "POST" -> {
                        armFault(JSON.readTree(call.body()));
                        json(call, 200, faults.describe());
                    }
                    case "DELETE" -> {
                        faults.reset();
                        call.empty(204);
                    }
                    default -> throw notAllowed("GET, POST, DELETE");
                }
                return;
            }
        } catch (EmulatorException e) {
            throw new HttpProblem(e.getMessage().contains("No account") ? 404 : 409, e.getMessage());
        } catch (IllegalArgumentException | IOException e) {
            throw new HttpProblem(400, "Invalid admin request: " + e.getMessage());
        }
        throw new HttpProblem(404, "No such admin resource; see docs/kvconnect-rest-api.md (admin API)");
    }

    private List<Map<String, Object>> accounts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String username : admin.usernames()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("username", username);
            a.put("uid", admin.uid(username));
            a.put("address", username + "@" + EmulatorAccount.DOMAIN);
            a.put("passwordChangeNeeded", admin.passwordChangeNeeded(username));
            a.put("hasCertificate", admin.certificate(username).isPresent());
            out.add(a);
        }
        return out;
    }

    /**
     * {"username": "...", "reason": "keyCompromise"} revokes the account's current certificate, {"certificate": "PEM",
     * ...} any certificate of the User CA; 201 with the new entry, 200 with the first one if it was already revoked.
     */
    private void revoke(HttpCall call, JsonNode r) throws IOException {
        if (r == null || !r.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with username or certificate");
        }
        JsonNode reasonField = r.get("reason");
        RevocationReason reason = reasonField == null || reasonField.isNull() ? RevocationReason.UNSPECIFIED
                : RevocationReason.parse(reasonField.asText());
        boolean byUser = r.hasNonNull("username");
        if (byUser == r.hasNonNull("certificate")) {
            throw new IllegalArgumentException("give exactly one of the fields username or certificate (PEM)");
        }
        X509Certificate certificate = byUser
                ? admin.certificate(text(r, "username")).orElseThrow(() -> new EmulatorException("The account '"
                        + r.get("username").asText() + "' has no certificate to revoke; issue one first"))
                : Pem.certificate(text(r, "certificate"));
        boolean known = admin.revocation(certificate).isPresent();
        RevokedCertificate entry = admin.revokeCertificate(certificate, reason);
        json(call, known ? 200 : 201, entry(entry));
    }

    private static Map<String, Object> entry(RevokedCertificate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serialNumber", e.serialNumber().toString(16));
        m.put("revocationDate", e.revocationDate().toString());
        m.put("reason", e.reason().name());
        return m;
    }

    private Map<String, Object> crls() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userCa", crl(admin.userCaCrl()));
        m.put("rootCa", crl(admin.rootCaCrl()));
        return m;
    }

    private static Map<String, Object> crl(X509CRL crl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", crl.getIssuerX500Principal().getName());
        byte[] number = crl.getExtensionValue(Extension.cRLNumber.getId());
        m.put("crlNumber", number == null ? null
                : CRLNumber.getInstance(ASN1OctetString.getInstance(number).getOctets()).getCRLNumber());
        m.put("thisUpdate", crl.getThisUpdate().toInstant().toString());
        m.put("nextUpdate", crl.getNextUpdate().toInstant().toString());
        m.put("revoked", crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
        return m;
    }

    private static EmulatorAccount readAccount(byte[] body) throws IOException {
        try {
            return JSON.readValue(body, EmulatorAccount.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new IllegalArgumentException("the account JSON is invalid: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {"type": "FAIL"|"LATENCY"|"CLOSE_CONNECTION"|"DROP_RESPONSE"|"DELETE_FAILS"|"CORRUPT_FETCH"|"TRUNCATE_FETCH"|"CSR_OUTCOME", ...}.
     */
    private void armFault(JsonNode f) {
        String type = text(f, "type").toUpperCase(Locale.ROOT);
        switch (type) {
            case "FAIL" -> faults.failNext(endpoint(f), f.path("count").asInt(1), f.path("status").asInt(503));
            case "LATENCY" -> faults.latency(endpoint(f), Duration.ofMillis(f.path("latencyMillis").asLong()));
            case "CLOSE_CONNECTION" -> faults.closeConnection(endpoint(f), f.path("count").asInt(1));
            case "DROP_RESPONSE" -> faults.dropResponse(endpoint(f), f.path("count").asInt(1));
            case "DELETE_FAILS" -> faults.failDelete(f.path("count").asInt(1), f.path("status").asInt(500),
                    f.path("deleteAnyway").asBoolean(false));
            case "CORRUPT_FETCH" -> faults.damageFetch(f.path("count").asInt(1), FaultState.FetchDamage.CORRUPT);
            case "TRUNCATE_FETCH" -> faults.damageFetch(f.path("count").asInt(1), FaultState.FetchDamage.TRUNCATE);
            case "CSR_OUTCOME" -> faults.nextCsrOutcome(f.path("status").asInt(900));
            default -> throw new IllegalArgumentException("unknown fault type '" + type + "'");
        }
    }

    private static Endpoint endpoint(JsonNode f) {
        String name = text(f, "endpoint");
        try {
            return Endpoint.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown endpoint '" + name + "'; use one of "
                    + java.util.Arrays.toString(Endpoint.values()), e);
        }
    }

    private static String text(JsonNode f, String field) {
        JsonNode n = f.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return n.asText();
    }

    private void checkCredentials(HttpCall call) {
        String auth = call.header("Authorization");
        Map<String, String> challenge = Map.of("WWW-Authenticate", "Basic realm=\"KV-Connect emulator admin\"");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new HttpProblem(401, "The admin API needs HTTP BASIC with the admin credentials", challenge);
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(auth.substring(6).trim());
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(401, "Malformed BASIC credentials", challenge);
        }
        byte[] expected = (credentials.username() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expected)) {
            throw new HttpProblem(401, "Wrong admin credentials", challenge);
        }
    }

    private static HttpProblem notAllowed(String allowed) {
        return new HttpProblem(405, "Method not allowed here; use " + allowed, Map.of("Allow", allowed));
    }

    private static void json(HttpCall call, int status, Object value) throws IOException {
        call.bytes(status, JSON_TYPE, JSON.writeValueAsBytes(value));
    }
}
