package io.github.camelkvconnect.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.Await;
import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.emulator.RevocationReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * crlFiles against the emulator's own revocation: the test revokes a certificate in the emulator
 * ({@code EmulatorAdmin.revokeCertificate}), whose User CA at once writes a new CRL to {@code pki/user-ca.crl} in its
 * data directory, and points the endpoint's crlFiles at that file, as an operator would point it at a CA's published
 * CRL.
 */
class RevocationTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClassWithDataDir();

    /** The User CA's published CRL: the emulator rewrites this file (atomically) on every revocation. */
    private static Path publishedCrl() {
        return kvc.emulator().userCaCrlFile().orElseThrow();
    }

    private static void revoke(EmulatorFixture.Account account) {
        kvc.admin().revokeCertificate(account.username(), RevocationReason.KEY_COMPROMISE);
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
        revoke(revoked);
        Path crl = publishedCrl();
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
        revoke(revoked);
        Path crl = publishedCrl();
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
        Path crl = publishedCrl(); // current; alice is not on it yet
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

        // The CA revokes alice's certificate and replaces the published CRL with one that lists it. The new file is
        // larger by that entry, so the change is seen even where file timestamps are coarse.
        long sizeBefore = Files.size(crl);
        revoke(alice);
        assertTrue(Files.size(crl) > sizeBefore, "the emulator rewrote the CRL file");
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
        revoke(revoked);
        Path crl = publishedCrl();
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
