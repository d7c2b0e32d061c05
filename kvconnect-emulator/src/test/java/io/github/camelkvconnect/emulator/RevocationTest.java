package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelkvconnect.emulator.pki.Pem;

/**
 * Revocation: the User CA's CRL, fetched over real HTTPS from the distribution point and from the data directory,
 * verified with the CA certificate and used by the JDK's PKIX validator; the admin API; persistence and re-issue.
 */
class RevocationTest {

    static final String PW = "Secret12AB";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static MutableClock clock;
    static KvConnectEmulator emulator;
    static RestClient adminClient;

    @BeforeAll
    static void start() {
        clock = new MutableClock(Instant.now());
        emulator = KvConnectEmulator.builder().dataDir(dataDir).clock(clock).crlValidity(Duration.ofDays(2))
                .crlDistributionPoints(true).adminCredentials("kv-admin", "AdminPass99").start();
        adminClient = new RestClient(emulator, emulator.adminBaseUri()).basic("kv-admin", "AdminPass99");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static X509Certificate account(String username) {
        emulator.admin().createAccount(EmulatorAccount.ready(username, PW));
        return emulator.admin().issueCertificate(username, Csrs.rsa(2048).getPublic());
    }

    /** GET without credentials, as a relying party fetches a CRL. */
    private static HttpResponse<byte[]> fetch(URI uri) throws Exception {
        RestClient anonymous = new RestClient(emulator, uri);
        return anonymous.http().send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static X509CRL crl(byte[] der) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    private static X509CRL fetchUserCaCrl() throws Exception {
        HttpResponse<byte[]> response = fetch(emulator.userCaCrlUri());
        assertEquals(200, response.statusCode());
        return crl(response.body());
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
        assertNotNull(value, "cRLNumber extension");
        return CRLNumber.getInstance(ASN1OctetString.getInstance(value).getOctets()).getCRLNumber();
    }

    private static HttpResponse<String> postJson(String path, String json) {
        return adminClient.send(adminClient.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void revokedCertificateIsOnTheUserCaCrlServedOverHttpsAndWrittenToTheDataDir() throws Exception {
        X509Certificate alice = account("crl.alice");
        X509Certificate bob = account("crl.bob");
        BigInteger before = crlNumber(fetchUserCaCrl());

        RevokedCertificate entry = emulator.admin().revokeCertificate("crl.alice", RevocationReason.KEY_COMPROMISE);
        assertEquals(alice.getSerialNumber(), entry.serialNumber());

        HttpResponse<byte[]> response = fetch(emulator.userCaCrlUri());
        assertEquals(200, response.statusCode());
        assertEquals("application/pkix-crl", response.headers().firstValue("Content-Type").orElse(""));
        X509CRL crl = crl(response.body());
        X509Certificate userCa = emulator.userCaCertificate();
        crl.verify(userCa.getPublicKey()); // signed by the User CA
        assertEquals(2, crl.getVersion());
        assertEquals(userCa.getSubjectX500Principal(), crl.getIssuerX500Principal());
        assertEquals("SHA512withRSA", crl.getSigAlgName());
        Date now = Date.from(clock.instant());
        assertFalse(crl.getThisUpdate().after(now));
        assertTrue(crl.getNextUpdate().after(now));
        assertTrue(crlNumber(crl).compareTo(before) > 0, "a revocation issues a CRL with a higher number");
        byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                userCa.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                crl.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets());
        assertArrayEquals(ski, aki.getKeyIdentifier());

        X509CRLEntry revoked = crl.getRevokedCertificate(alice);
        assertNotNull(revoked, "alice's certificate is listed");
        assertEquals(CRLReason.KEY_COMPROMISE, revoked.getRevocationReason());
        assertEquals(entry.revocationDate(), revoked.getRevocationDate().toInstant());
        assertTrue(crl.isRevoked(alice));
        assertFalse(crl.isRevoked(bob));

        // The same CRL, DER, in the data directory (for crlFiles), and the certificate is still the account's.
        assertArrayEquals(response.body(), Files.readAllBytes(emulator.userCaCrlFile().orElseThrow()));
        assertEquals(dataDir.resolve("pki").resolve("user-ca.crl"), emulator.userCaCrlFile().orElseThrow());
        assertEquals(alice, emulator.admin().certificate("crl.alice").orElseThrow());
        assertEquals(entry, emulator.admin().revocation(alice).orElseThrow());
        assertTrue(emulator.admin().revocation(bob).isEmpty());

        // Revoking again keeps the first entry and issues nothing new.
        BigInteger number = crlNumber(crl);
        assertEquals(entry, emulator.admin().revokeCertificate(alice, RevocationReason.SUPERSEDED));
        assertEquals(number, crlNumber(fetchUserCaCrl()));
    }

    @Test
    void distributionPointInTheCertificateAndPkixValidationWithTheCrls() throws Exception {
        X509Certificate revoked = account("pkix.revoked");
        X509Certificate valid = account("pkix.valid");
        emulator.admin().revokeCertificate("pkix.revoked", RevocationReason.AFFILIATION_CHANGED);

        CRLDistPoint cdp = CRLDistPoint.getInstance(ASN1OctetString.getInstance(
                revoked.getExtensionValue(Extension.cRLDistributionPoints.getId())).getOctets());
        GeneralName where = GeneralNames.getInstance(cdp.getDistributionPoints()[0].getDistributionPoint().getName())
                .getNames()[0];
        assertEquals(emulator.userCaCrlUri().toString(), where.getName().toString());

        HttpResponse<byte[]> root = fetch(emulator.rootCaCrlUri());
        assertEquals(200, root.statusCode());
        X509CRL rootCrl = crl(root.body());
        rootCrl.verify(emulator.rootCaCertificate().getPublicKey());
        assertNull(rootCrl.getRevokedCertificates(), "the Root CA has revoked nothing");
        List<Object> store = List.of(emulator.userCaCertificate(), fetchUserCaCrl(), rootCrl);

        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
        checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(emulator.rootCaCertificate(), null)));
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
        params.addCertPathChecker(checker);
        params.setDate(Date.from(clock.instant()));

        validator.validate(cf.generateCertPath(List.of(valid, emulator.userCaCertificate())), params);
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validator.validate(cf.generateCertPath(List.of(revoked, emulator.userCaCertificate())), params));
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason());
    }

    @Test
    void adminHttpApiRevokesByUsernameOrCertificateAndIssuesCrls() throws Exception {
        X509Certificate old = account("http.carol");
        X509Certificate current = emulator.admin().issueCertificate("http.carol", Csrs.rsa(2048).getPublic());

        HttpResponse<String> created = postJson("revocations", "{\"username\": \"http.carol\", \"reason\": \"keyCompromise\"}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode entry = JSON.readTree(created.body());
        assertEquals(current.getSerialNumber().toString(16), entry.path("serialNumber").asText());
        assertEquals("KEY_COMPROMISE", entry.path("reason").asText());
        HttpResponse<String> again = postJson("revocations", "{\"username\": \"http.carol\", \"reason\": \"superseded\"}");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(entry, JSON.readTree(again.body()));

        // The replaced certificate, by PEM, without a reason: no reasonCode extension on the entry.
        String pem = JSON.writeValueAsString(Pem.encode(old));
        assertEquals(201, postJson("revocations", "{\"certificate\": " + pem + "}").statusCode());
        X509CRLEntry oldEntry = fetchUserCaCrl().getRevokedCertificate(old);
        assertNotNull(oldEntry);
        assertNull(oldEntry.getRevocationReason());
        assertNull(oldEntry.getExtensionValue(Extension.reasonCode.getId()));

        JsonNode listed = JSON.readTree(adminClient.get("revocations").body());
        assertTrue(listed.toString().contains(old.getSerialNumber().toString(16)), listed.toString());
        assertTrue(listed.toString().contains(current.getSerialNumber().toString(16)), listed.toString());

        String foreign = JSON.writeValueAsString(Pem.encode(emulator.rootCaCertificate()));
        HttpResponse<String> notOurs = postJson("revocations", "{\"certificate\": " + foreign + "}");
        assertEquals(400, notOurs.statusCode());
        assertTrue(notOurs.body().contains("not issued by this emulator's User CA"), notOurs.body());
        assertEquals(404, postJson("revocations", "{\"username\": \"nobody.here\"}").statusCode());
        emulator.admin().createAccount(EmulatorAccount.ready("http.nocert", PW));
        HttpResponse<String> noCert = postJson("revocations", "{\"username\": \"http.nocert\"}");
        assertEquals(409, noCert.statusCode());
        assertTrue(noCert.body().contains("no certificate"), noCert.body());
        HttpResponse<String> badReason = postJson("revocations", "{\"username\": \"http.carol\", \"reason\": \"bored\"}");
        assertEquals(400, badReason.statusCode());
        assertTrue(badReason.body().contains("KEY_COMPROMISE"), "lists the reasons: " + badReason.body());
        assertEquals(400, postJson("revocations", "{}").statusCode());

        long number = JSON.readTree(adminClient.get("crls").body()).path("userCa").path("crlNumber").asLong();
        HttpResponse<String> issued = postJson("crls", "");
        assertEquals(200, issued.statusCode());
        JsonNode userCa = JSON.readTree(issued.body()).path("userCa");
        assertEquals(number + 1, userCa.path("crlNumber").asLong());
        assertEquals(BigInteger.valueOf(number + 1), crlNumber(fetchUserCaCrl()));
        assertEquals(401, new RestClient(emulator, emulator.adminBaseUri()).get("revocations").statusCode());
    }

    @Test
    void aCrlPastHalfItsValidityIsReplacedWhenFetched() throws Exception {
        X509CRL first = fetchUserCaCrl();
        clock.advance(Duration.ofHours(1));
        assertEquals(crlNumber(first), crlNumber(fetchUserCaCrl()), "still fresh: the same CRL");

        clock.advance(Duration.ofDays(1));
        X509CRL next = fetchUserCaCrl();
        assertTrue(crlNumber(next).compareTo(crlNumber(first)) > 0);
        assertEquals(clock.instant().getEpochSecond(), next.getThisUpdate().toInstant().getEpochSecond());
        assertEquals(Duration.ofDays(2), Duration.between(next.getThisUpdate().toInstant(), next.getNextUpdate().toInstant()));
        assertArrayEquals(next.getEncoded(), Files.readAllBytes(emulator.userCaCrlFile().orElseThrow()),
                "the file follows");
    }

    @Test
    void distributionPointAnswersFaultsLikeTheOtherEndpointsAndOnlyGet() throws Exception {
        emulator.admin().faults().failNext(Endpoint.CRL, 1, 503);
        assertEquals(503, fetch(emulator.userCaCrlUri()).statusCode());
        assertEquals(200, fetch(emulator.userCaCrlUri()).statusCode());
        RestClient anonymous = new RestClient(emulator, emulator.userCaCrlUri());
        HttpResponse<String> post = anonymous.send(HttpRequest.newBuilder(emulator.userCaCrlUri())
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(405, post.statusCode());
        assertEquals(404, fetch(emulator.userCaCrlUri().resolve("tls-ca.crl")).statusCode());
    }

    @Test
    void revocationsSurviveARestartAndTheCrlNumberKeepsGrowing(@TempDir Path dir) throws Exception {
        X509Certificate dora;
        BigInteger lastNumber;
        try (KvConnectEmulator first = KvConnectEmulator.builder().dataDir(dir)
                .account(EmulatorAccount.ready("dora", PW)).start()) {
            dora = first.admin().issueCertificate("dora", Csrs.rsa(2048).getPublic());
            assertNull(dora.getExtensionValue(Extension.cRLDistributionPoints.getId()),
                    "by default no distribution point, like real KV-Connect certificates");
            first.admin().revokeCertificate("dora", RevocationReason.CESSATION_OF_OPERATION);
            lastNumber = crlNumber(first.admin().userCaCrl());
        }
        try (KvConnectEmulator second = KvConnectEmulator.builder().dataDir(dir).start()) {
            RevokedCertificate entry = second.admin().revocation(dora).orElseThrow();
            assertEquals(RevocationReason.CESSATION_OF_OPERATION, entry.reason());
            X509CRL crl = crl(Files.readAllBytes(second.userCaCrlFile().orElseThrow()));
            assertEquals(CRLReason.CESSATION_OF_OPERATION, crl.getRevokedCertificate(dora).getRevocationReason());
            assertTrue(crlNumber(crl).compareTo(lastNumber) > 0, "CRL numbers never repeat");
        }
        // A broken CRL file would silently un-revoke certificates: the start fails and says what to do.
        Files.write(dir.resolve("pki").resolve("user-ca.crl"), new byte[] {0x30, 0x03, 0x02});
        EmulatorException e = assertThrows(EmulatorException.class, () -> KvConnectEmulator.builder().dataDir(dir).start());
        assertTrue(e.getMessage().contains("user-ca.crl") && e.getMessage().contains("delete it"), e.getMessage());
    }

    @Test
    void withoutDataDirTheCrlIsServedButNotWritten() throws Exception {
        try (KvConnectEmulator inMemory = KvConnectEmulator.builder().start()) {
            assertTrue(inMemory.userCaCrlFile().isEmpty());
            URI uri = inMemory.userCaCrlUri();
            HttpResponse<byte[]> served = new RestClient(inMemory, uri).http()
                    .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode());
            X509CRL crl = crl(served.body());
            crl.verify(inMemory.userCaCertificate().getPublicKey());
            assertTrue(crlNumber(inMemory.admin().issueCrls()).compareTo(crlNumber(crl)) > 0,
                    "issueCrls issues a new CRL in memory too");
        }
    }
}
