package io.github.camelkvconnect.component;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestCrls;
import io.github.camelkvconnect.emulator.pki.Pem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * crlFiles: the sender's certificate, issued by the emulator's user CA, is revoked in a CRL signed with that CA's key
 * (read from the emulator's data directory, as its operator would).
 */
class RevocationTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClassWithDataDir();

    private X509Certificate userCa;
    private PrivateKey userCaKey;

    @BeforeEach
    void userCa() throws Exception {
        userCa = kvc.emulator().userCaCertificate();
        userCaKey = Pem.privateKey(Files.readString(kvc.emulatorPkiFile("user-ca.key.pem"), StandardCharsets.US_ASCII));
    }

    private Path crl(String name, X509Certificate... revoked) throws Exception {
        Instant now = Instant.now();
        return TestCrls.writePem(testDir.resolve(name), userCa, userCaKey, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(7)), revoked);
    }

    private void sendAskingForReceipt(EmulatorFixture.Account from, EmulatorFixture.Account to, String text) {
        Exchange sent = template.request(producerUri(from), e -> {
            e.getMessage().setBody(text);
            e.getMessage().setHeader(KvConnectConstants.TO, to.address());
            e.getMessage().setHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, from.address());
        });
        assertEquals(null, sent.getException());
    }

    @Test
    void revokedSignerIsDeliveredAsRevokedWithPolicyWarnAndGetsNoReceipt() throws Exception {
        EmulatorFixture.Account revoked = kvc.account(unique("revoked"));
        EmulatorFixture.Account genuine = kvc.account(unique("genuine"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path crl = crl("user-ca.crl", revoked.certificate());
        sendAskingForReceipt(revoked, bob, "from a revoked certificate");
        sendAskingForReceipt(genuine, bob, "from a valid certificate");

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("from a revoked certificate", "from a valid certificate");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "sendMdn=true&crlFiles=" + crl)).routeId("bob")
                        .setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);

        Message first = inbox.getReceivedExchanges().get(0).getMessage();
        assertEquals("REVOKED", first.getHeader(KvConnectConstants.SIGNATURE_STATUS));
        assertEquals(false, first.getHeader(KvConnectConstants.SIGNATURE_VALID));
        assertTrue(first.getHeader(KvConnectConstants.SIGNATURE_DETAIL, String.class).toLowerCase().contains("revoked"),
                first.getHeader(KvConnectConstants.SIGNATURE_DETAIL, String.class));
        Message second = inbox.getReceivedExchanges().get(1).getMessage();
        assertEquals("VALID", second.getHeader(KvConnectConstants.SIGNATURE_STATUS));
        // Both delivered, so both deleted; the valid message's receipt is sent after the revoked one was done with:
        // once it has arrived, a receipt for the revoked message would have arrived as well.
        awaitMailboxSize(bob, 0);
        awaitMailboxSize(genuine, 1);
        assertTrue(mailbox(revoked).isEmpty(), "no receipt for a message from a revoked certificate");
    }

    @Test
    void revokedSignerIsKeptOnTheServerWithPolicyReject() throws Exception {
        EmulatorFixture.Account revoked = kvc.account(unique("revoked"));
        EmulatorFixture.Account genuine = kvc.account(unique("genuine"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path crl = crl("user-ca.crl", revoked.certificate());
        String revokedId = send(revoked, bob, "from a revoked certificate");
        send(genuine, bob, "from a valid certificate");

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("from a valid certificate");
        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(consumerUri(bob, "signaturePolicy=reject&failureBackoff=600000&crlFiles=" + crl)).routeId("bob")
                        .setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        MockEndpoint.assertIsSatisfied(20, TimeUnit.SECONDS, inbox, errors);
        KvConnectSignatureException e = assertInstanceOf(KvConnectSignatureException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        assertEquals(revokedId, e.getMessageId());
        assertTrue(e.getMessage().contains("REVOKED"), e.getMessage());
        Await.until("only the revoked sender's message left", Duration.ofSeconds(20),
                () -> mailbox(bob).size() == 1 && mailbox(bob).get(0).messageId().equals(revokedId));
    }

    @Test
    void changedCrlFileIsUsedWithoutRestart() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path crl = crl("user-ca.crl"); // current, revokes nobody yet
        send(alice, bob, "before");

        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("before");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(consumerUri(bob, "crlFiles=" + crl)).routeId("bob").setBody(header(KvConnectConstants.TEXT))
                        .to("mock:inbox");
            }
        });
        inbox.assertIsSatisfied(20_000);
        assertEquals("VALID", inbox.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.SIGNATURE_STATUS));

        // The operator drops in the CA's next CRL, which lists alice's certificate. An explicit, later modification
        // time: file systems with coarse timestamps must not hide the change.
        FileTime before = Files.getLastModifiedTime(crl);
        crl("user-ca.crl", alice.certificate());
        Files.setLastModifiedTime(crl, FileTime.fromMillis(before.toMillis() + 60_000));
        inbox.reset();
        inbox.expectedBodiesReceived("after");
        send(alice, bob, "after");
        inbox.assertIsSatisfied(20_000);
        assertEquals("REVOKED", inbox.getReceivedExchanges().get(0).getMessage().getHeader(KvConnectConstants.SIGNATURE_STATUS));
    }

    @Test
    void revokedRecipientIsNotSentToAndTheSendFails() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account revoked = kvc.account(unique("revoked"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path crl = crl("user-ca.crl", revoked.certificate());
        String uri = kvc.uri(alice, testDir.resolve("producer-crl-" + alice.username()), "crlFiles=" + crl);

        Exchange refused = template.request(uri, e -> {
            e.getMessage().setBody("to a compromised key");
            e.getMessage().setHeader(KvConnectConstants.TO, revoked.address());
        });
        KvConnectMissingCertificateException e = assertInstanceOf(KvConnectMissingCertificateException.class,
                refused.getException());
        assertEquals(java.util.List.of(revoked.address()), e.getAddresses());
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());

        // the same producer still sends to a recipient the CRL does not list
        Exchange sent = template.request(uri, x -> {
            x.getMessage().setBody("to a valid key");
            x.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        assertEquals(null, sent.getException());
        awaitMailboxSize(bob, 1);
        assertTrue(mailbox(revoked).isEmpty(), "nothing was sent to the revoked recipient");
    }

    @Test
    void missingOrUnreadableCrlFileFailsTheStartNamingTheFile() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path missing = testDir.resolve("no-such.crl");
        Path garbage = Files.writeString(testDir.resolve("garbage.crl"), "not a CRL");
        for (Path file : new Path[] { missing, garbage }) {
            Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(consumerUri(bob, "crlFiles=" + file)).routeId("bob-" + file.getFileName()).to("mock:inbox");
                }
            }));
            KvConnectCrlException crlProblem = cause(e, KvConnectCrlException.class);
            assertEquals(file, crlProblem.getCrlFile());
            assertTrue(crlProblem.getMessage().contains(file.toString()) && crlProblem.getMessage().contains("crlFiles"),
                    crlProblem.getMessage());
        }
    }

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + t, t);
    }
}
