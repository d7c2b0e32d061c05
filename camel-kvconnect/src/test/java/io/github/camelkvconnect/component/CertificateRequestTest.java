package io.github.camelkvconnect.component;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.emulator.CsrProcessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CSR flow: key generation, CSR, status polling through all steps, certificate stored with the key. */
class CertificateRequestTest extends CamelTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass(b -> b.csrProcessing(CsrProcessing.ONE_STEP_PER_POLL));

    private String uri(String username, Path keystore) {
        return kvc.uri(username, keystore, kvc.dir().resolve("state"), "operation=requestCertificate&csrPollInterval=10");
    }

    @Test
    void requestsStoresAndDoesNotRenewAValidCertificate() throws Exception {
        String address = kvc.bareAccount("csr.alice");
        Path keystore = kvc.dir().resolve("csr.alice.p12");

        Exchange first = template.request(uri("csr.alice", keystore), e -> {
        });
        assertTrue(first.getMessage().getHeader(KvConnectConstants.CERTIFICATE_RENEWED, Boolean.class));
        assertNotNull(first.getMessage().getHeader(KvConnectConstants.CSR_ID));
        X509Certificate issued = first.getMessage().getBody(X509Certificate.class);
        assertTrue(issued.getSubjectX500Principal().getName().contains("csr.alice"), issued.getSubjectX500Principal().getName());
        assertEquals(kvc.emulator().userCaCertificate().getSubjectX500Principal(), issued.getIssuerX500Principal());

        // The keystore holds the new key with the issued certificate (and the CA chain), under the PIN.
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, EmulatorFixture.PIN.toCharArray());
        }
        String alias = ks.aliases().nextElement();
        PrivateKey key = (PrivateKey) ks.getKey(alias, EmulatorFixture.PIN.toCharArray());
        assertNotNull(key);
        assertEquals(issued, ks.getCertificate(alias));
        assertEquals(2048, ((RSAPublicKey) issued.getPublicKey()).getModulus().bitLength());
        assertEquals(3, ks.getCertificateChain(alias).length);
        if (Files.getFileStore(keystore).supportsFileAttributeView("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(keystore), "the keystore is readable by its owner only");
        }
        // The server publishes it for senders
        assertEquals(issued, kvc.admin().certificate("csr.alice").orElseThrow());
        assertEquals(address, "csr.alice@kv-safenet.de");

        Exchange second = template.request(uri("csr.alice", keystore), e -> {
        });
        assertFalse(second.getMessage().getHeader(KvConnectConstants.CERTIFICATE_RENEWED, Boolean.class));
        assertEquals(issued, second.getMessage().getBody(X509Certificate.class));
    }

    @Test
    void sendingWorksWithTheRequestedCertificate() throws Exception {
        kvc.bareAccount("csr.dave");
        Path keystore = kvc.dir().resolve("csr.dave.p12");
        template.requestBody(uri("csr.dave", keystore), (Object) null);
        EmulatorFixture.Account erin = kvc.account("csr.erin");

        String sendUri = kvc.uri("csr.dave", keystore, kvc.dir().resolve("state-dave"), "");
        template.sendBodyAndHeader(sendUri, "signed with the new key", KvConnectConstants.TO, erin.address());
        MockEndpoint inbox = getMockEndpoint("mock:erin");
        inbox.expectedMessageCount(1);
        inbox.expectedHeaderReceived(KvConnectConstants.SIGNATURE_STATUS, "VALID");
        inbox.expectedHeaderReceived(KvConnectConstants.SIGNER_ADDRESS, "csr.dave@kv-safenet.de");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(erin, kvc.dir().resolve("state-erin"), "delay=100&initialDelay=0")).to("mock:erin");
            }
        });
        inbox.assertIsSatisfied(20_000);
    }

    @Test
    void renewsWhenTheCertificateExpiresWithinRenewBeforeDays() throws Exception {
        kvc.bareAccount("csr.bob");
        Path keystore = kvc.dir().resolve("csr.bob.p12");
        X509Certificate first = template.requestBody(uri("csr.bob", keystore), null, X509Certificate.class);
        // The emulator issues certificates for far less than 100 years: renewBeforeDays=36500 forces a renewal.
        Exchange renewed = template.request(uri("csr.bob", keystore) + "&renewBeforeDays=36500", e -> {
        });
        assertTrue(renewed.getMessage().getHeader(KvConnectConstants.CERTIFICATE_RENEWED, Boolean.class));
        X509Certificate second = renewed.getMessage().getBody(X509Certificate.class);
        assertFalse(first.getPublicKey().equals(second.getPublicKey()), "a new key");
    }

    @Test
    void aMessageSentBeforeTheRenewalIsDeliveredAfterIt() throws Exception {
        kvc.bareAccount("csr.gina");
        Path keystore = kvc.dir().resolve("csr.gina.p12");
        X509Certificate before = template.requestBody(uri("csr.gina", keystore), null, X509Certificate.class);
        EmulatorFixture.Account hank = kvc.account("csr.hank");
        // encrypted to gina's current certificate; it waits on the server while gina renews
        template.sendBodyAndHeader(kvc.uri(hank, kvc.dir().resolve("state-hank"), ""), "sent before the renewal",
                KvConnectConstants.TO, "csr.gina@kv-safenet.de");

        X509Certificate after = template.requestBody(uri("csr.gina", keystore) + "&renewBeforeDays=36500", null,
                X509Certificate.class);
        assertFalse(before.getPublicKey().equals(after.getPublicKey()), "a new key");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, EmulatorFixture.PIN.toCharArray());
        }
        assertEquals(after, ks.getCertificate(io.github.camelkvconnect.smime.keys.PinProtectedKeyStore.DEFAULT_ALIAS),
                "the new certificate is the current one");
        boolean oldKept = false;
        for (String alias : java.util.Collections.list(ks.aliases())) {
            oldKept |= ks.isKeyEntry(alias) && before.equals(ks.getCertificate(alias));
        }
        assertTrue(oldKept, "the old certificate and key are kept");

        MockEndpoint inbox = getMockEndpoint("mock:gina");
        inbox.expectedBodiesReceived("sent before the renewal");
        inbox.expectedHeaderReceived(KvConnectConstants.SIGNATURE_STATUS, "VALID");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri("csr.gina", keystore, kvc.dir().resolve("state-gina"), "delay=100&initialDelay=0"))
                        .setBody(header(KvConnectConstants.TEXT)).to("mock:gina");
            }
        });
        inbox.assertIsSatisfied(20_000);
    }

    @Test
    void wrongPinFailsWithATypedErrorAndNeverReplacesTheKeystore() throws Exception {
        kvc.bareAccount("csr.frank");
        Path keystore = kvc.dir().resolve("csr.frank.p12");
        template.requestBody(uri("csr.frank", keystore), (Object) null);
        byte[] before = Files.readAllBytes(keystore);
        String wrongPin = "not-the-PIN-42";
        // Even when a renewal is due, a keystore that does not open must not be overwritten with a new key.
        String wrong = uri("csr.frank", keystore).replace("RAW(" + EmulatorFixture.PIN + ")", "RAW(" + wrongPin + ")")
                       + "&renewBeforeDays=36500";
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody(wrong, (Object) null));
        KvConnectKeystoreException cause = assertInstanceOf(KvConnectKeystoreException.class, e.getCause());
        assertTrue(cause.getMessage().contains(keystore.toString()) && cause.getMessage().contains("wrong PIN"),
                cause.getMessage());
        assertFalse(cause.getMessage().contains(wrongPin) || cause.getMessage().contains(EmulatorFixture.PIN));
        assertArrayEquals(before, Files.readAllBytes(keystore), "the keystore is untouched");
    }

    @Test
    void rejectedCsrFailsClearlyAndKeepsTheKeystoreUntouched() throws Exception {
        kvc.bareAccount("csr.carol");
        Path keystore = kvc.dir().resolve("csr.carol.p12");
        kvc.admin().faults().nextCsrOutcome(902);
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody(uri("csr.carol", keystore), (Object) null));
        assertTrue(e.getCause().getMessage().contains("902"), e.getCause().getMessage());
        assertFalse(Files.exists(keystore));
    }
}
