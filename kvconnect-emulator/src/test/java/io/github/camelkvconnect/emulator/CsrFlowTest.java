package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.attributes;
import static io.github.camelkvconnect.emulator.RestClient.segment;
import static io.github.camelkvconnect.emulator.RestClient.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;

import io.github.camelkvconnect.emulator.pki.Pem;

/** The CSR flow end to end: key → CSR → status polls → 999 → certificate by email → entry in LDAP and LDAPS. */
class CsrFlowTest {

    static final String PW = "Secret12AB";
    static final Duration VALIDITY = Duration.ofDays(100);

    static KvConnectEmulator emulator;
    static KeyPair key;
    static KeyPair otherKey;
    static KeyPair smallKey;

    @BeforeAll
    static void start() {
        key = Csrs.rsa(2048);
        otherKey = Csrs.rsa(2048);
        smallKey = Csrs.rsa(1024);
        emulator = KvConnectEmulator.builder()
                .account(EmulatorAccount.builder().username("praxis.mueller").password(PW).passwordChangeNeeded(false)
                        .title("Dr. med.").givenName("Anna").surname("Müller").organisation("Praxis Dr. Müller")
                        .bsnr("721234500").lanr("123456601").street("Hauptstr. 1").postalCode("10115").city("Berlin")
                        .kv("72").build())
                .account(EmulatorAccount.ready("praxis.other", PW))
                .certificateValidity(VALIDITY)
                .start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static RestClient mueller() {
        return new RestClient(emulator).basic("praxis.mueller", PW);
    }

    private static String submit(RestClient client, String pem) {
        HttpResponse<String> posted = client.post("csr", pem);
        assertEquals(201, posted.statusCode(), posted.body());
        String body = posted.body().strip();
        assertEquals(body, posted.headers().firstValue("Location").orElseThrow());
        return body.substring(body.lastIndexOf('/') + 1);
    }

    private static List<Integer> statuses(RestClient client, String csrId) {
        HttpResponse<String> r = client.get("csr/" + csrId);
        assertEquals(200, r.statusCode(), r.body());
        return attributes(r.body(), "status-entry", "status").stream().map(Integer::valueOf).toList();
    }

    @Test
    void csrIsProcessedStepByStepIntoACertificateFromMasterDataPublishedInLdap() throws Exception {
        RestClient client = mueller();
        String id = submit(client, Csrs.pem(key, "praxis.mueller"));
        assertEquals(List.of(100, 210), statuses(client, id));
        assertEquals(List.of(100, 210, 299), statuses(client, id));
        assertEquals(List.of(100, 210, 299, 399), statuses(client, id));
        assertEquals(List.of(100, 210, 299, 399, 999), statuses(client, id));
        assertEquals(List.of(100, 210, 299, 399, 999), statuses(client, id), "finished CSRs stay finished");
        assertEquals(403, new RestClient(emulator).basic("praxis.other", PW).get("csr/" + id).statusCode());

        HttpResponse<String> fetched = new RestClient(emulator).basic("praxis.other", PW)
                .get("certificates?email=" + segment("praxis.mueller@kv-safenet.de"));
        assertEquals(200, fetched.statusCode());
        X509Certificate cert = Pem.certificate(text(fetched.body(), "body"));

        // built from master data, not from the CSR
        assertEquals(key.getPublic(), cert.getPublicKey());
        X500Name subject = new JcaX509CertificateHolder(cert).getSubject();
        assertEquals("praxis.mueller@kv-safenet.de", value(subject, BCStyle.EmailAddress));
        assertEquals(emulator.admin().uid("praxis.mueller"), value(subject, BCStyle.UID));
        assertEquals("Anna Müller", value(subject, BCStyle.CN));
        assertEquals("Praxis Dr. Müller", value(subject, BCStyle.O));
        assertEquals("DE", value(subject, BCStyle.C));
        assertTrue(cert.getSubjectX500Principal().toString().startsWith("EMAILADDRESS=praxis.mueller@kv-safenet.de, UID="),
                cert.getSubjectX500Principal().getName());
        GeneralNames san = GeneralNames.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions(),
                Extension.subjectAlternativeName);
        assertEquals(GeneralName.rfc822Name, san.getNames()[0].getTagNo());
        assertEquals("praxis.mueller@kv-safenet.de", san.getNames()[0].getName().toString());
        boolean[] ku = cert.getKeyUsage();
        assertTrue(ku[0] && ku[2], "digitalSignature + keyEncipherment");
        assertTrue(!ku[5] && !ku[6], "no CA usages");
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions());
        assertTrue(eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth));
        assertTrue(eku.hasKeyPurposeId(KeyPurposeId.id_kp_emailProtection));
        assertEquals(-1, cert.getBasicConstraints());
        assertEquals("SHA512withRSA", cert.getSigAlgName());
        assertEquals(VALIDITY.plusMinutes(5), Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));

        // chain: user cert ← User CA ← Root CA
        cert.verify(emulator.userCaCertificate().getPublicKey());
        emulator.userCaCertificate().verify(emulator.rootCaCertificate().getPublicKey());
        emulator.rootCaCertificate().verify(emulator.rootCaCertificate().getPublicKey());
        assertEquals(emulator.userCaCertificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(0, emulator.userCaCertificate().getBasicConstraints());

        try (LDAPConnection ldap = Ldap.plain(emulator)) {
            SearchResultEntry entry = single(ldap, "(mail=praxis.mueller@kv-safenet.de)");
            assertEquals("cn=praxis.mueller,ou=users,dc=kv-safenet,dc=de", entry.getDN());
            assertEquals("Müller", entry.getAttributeValue("sn"));
            assertEquals("Anna", entry.getAttributeValue("givenName"));
            assertEquals("Praxis Dr. Müller", entry.getAttributeValue("o"));
            assertEquals("Hauptstr. 1", entry.getAttributeValue("street"));
            assertEquals("10115", entry.getAttributeValue("postalCode"));
            assertEquals("Berlin", entry.getAttributeValue("l"));
            assertArrayEquals(cert.getEncoded(), entry.getAttributeValueBytes("userCertificate;binary"));
            // the search filters of domain reference §9
            single(ldap, "(sn=Mül*)");
            single(ldap, "(l=Berl*)");
            single(ldap, "(&(sn=Mül*)(l=Berl*))");
            single(ldap, "(&(givenName=Anna)(sn=Müller))");
        }
        try (LDAPConnection ldaps = Ldap.ldaps(emulator)) {
            SearchResultEntry entry = single(ldaps, "(cn=praxis.mueller)");
            assertArrayEquals(cert.getEncoded(), entry.getAttributeValueBytes("userCertificate;binary"));
        }

        // a new CSR replaces the certificate, in REST and in the directory
        String second = submit(client, Csrs.pem(otherKey, "praxis.mueller"));
        for (int i = 0; i < 4; i++) {
            statuses(client, second);
        }
        assertEquals(List.of(100, 210, 299, 399, 999), statuses(client, second));
        X509Certificate replaced = Pem.certificate(text(client.get("certificates?email=praxis.mueller@kv-safenet.de").body(), "body"));
        assertEquals(otherKey.getPublic(), replaced.getPublicKey());
        assertNotEquals(cert.getSerialNumber(), replaced.getSerialNumber());
        try (LDAPConnection ldap = Ldap.plain(emulator)) {
            assertArrayEquals(replaced.getEncoded(),
                    single(ldap, "(cn=praxis.mueller)").getAttributeValueBytes("userCertificate;binary"));
        }

        // deleting the certificate withdraws the entry
        assertEquals(204, client.delete("accounts/" + emulator.admin().uid("praxis.mueller") + "/certificate").statusCode());
        try (LDAPConnection ldap = Ldap.plain(emulator)) {
            assertEquals(0, ldap.search("ou=users,dc=kv-safenet,dc=de", SearchScope.SUB, "(cn=praxis.mueller)").getEntryCount());
        }
    }

    @Test
    void csrMadeByOpensslReqIsAccepted() throws Exception {
        // openssl req -batch -newkey rsa:2048 -nodes -subj "/x500UniqueIdentifier=praxis.openssl" (domain reference §3.4)
        String pem;
        try (java.io.InputStream in = CsrFlowTest.class.getResourceAsStream("/openssl-praxis.openssl.csr.pem")) {
            pem = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        try (KvConnectEmulator immediate = KvConnectEmulator.builder().csrProcessing(CsrProcessing.IMMEDIATE)
                .account(EmulatorAccount.ready("praxis.openssl", PW)).start()) {
            RestClient client = new RestClient(immediate).basic("praxis.openssl", PW);
            String id = submit(client, pem);
            assertEquals(List.of(100, 210, 299, 399, 999), statuses(client, id));
            assertTrue(immediate.admin().certificate("praxis.openssl").isPresent());
        }
    }

    @Test
    void wrongSubjectEndsWith903() {
        RestClient client = new RestClient(emulator).basic("praxis.other", PW);
        String id = submit(client, Csrs.pem(key, "praxis.mueller"));
        HttpResponse<String> status = client.get("csr/" + id);
        assertEquals(List.of("100", "903"), attributes(status.body(), "status-entry", "status"));
        assertTrue(text(status.body(), "message").contains("x500UniqueIdentifier=praxis.other"));

        String cn = submit(client, Csrs.pemWithCommonName(key, "praxis.other"));
        assertEquals(List.of(100, 903), statuses(client, cn));
        assertEquals(404, client.get("certificates?email=praxis.other@kv-safenet.de").statusCode());
    }

    @Test
    void smallKeyIsRejectedWith902() {
        RestClient client = new RestClient(emulator).basic("praxis.other", PW);
        String id = submit(client, Csrs.pem(smallKey, "praxis.other"));
        HttpResponse<String> status = client.get("csr/" + id);
        assertEquals(List.of("100", "902"), attributes(status.body(), "status-entry", "status"));
        assertTrue(text(status.body(), "message").contains("2048"));
    }

    @Test
    void newerCsrCancelsAPendingOneWith901() {
        RestClient client = new RestClient(emulator).basic("praxis.other", PW);
        String first = submit(client, Csrs.pem(key, "praxis.other"));
        assertEquals(List.of(100, 210), statuses(client, first));
        String second = submit(client, Csrs.pem(otherKey, "praxis.other"));
        assertEquals(List.of(100, 210, 901), statuses(client, first));
        assertEquals(List.of(100, 210), statuses(client, second));
        emulator.admin().deleteCertificate("praxis.other");
    }

    @Test
    void directoryIsReadOnlyForClients() throws Exception {
        try (LDAPConnection ldap = Ldap.plain(emulator)) {
            LDAPException e = assertThrows(LDAPException.class, () -> ldap.add("cn=intruder,ou=users,dc=kv-safenet,dc=de",
                    new Attribute("objectClass", "top", "person"), new Attribute("cn", "intruder"), new Attribute("sn", "x")));
            assertEquals(ResultCode.UNWILLING_TO_PERFORM, e.getResultCode());
            assertNull(ldap.getEntry("cn=intruder,ou=users,dc=kv-safenet,dc=de"));
        }
    }

    @Test
    void immediateProcessingFinishesOnTheFirstPoll() {
        try (KvConnectEmulator immediate = KvConnectEmulator.builder().csrProcessing(CsrProcessing.IMMEDIATE)
                .account(EmulatorAccount.ready("fast", PW)).start()) {
            RestClient client = new RestClient(immediate).basic("fast", PW);
            HttpResponse<String> posted = client.post("csr", Csrs.pem(key, "fast"));
            String id = posted.body().substring(posted.body().lastIndexOf('/') + 1);
            assertEquals(List.of("100", "210", "299", "399", "999"),
                    attributes(client.get("csr/" + id).body(), "status-entry", "status"));
            assertTrue(immediate.admin().certificate("fast").isPresent());
            assertTrue(Instant.now().isBefore(immediate.admin().certificate("fast").get().getNotAfter().toInstant()));
        }
    }

    private static SearchResultEntry single(LDAPConnection ldap, String filter) throws LDAPException {
        SearchResult result = ldap.search("ou=users,dc=kv-safenet,dc=de", SearchScope.SUB, filter);
        assertEquals(1, result.getEntryCount(), filter);
        return result.getSearchEntries().get(0);
    }

    private static String value(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        return IETFUtils.valueToString(name.getRDNs(type)[0].getFirst().getValue());
    }
}
