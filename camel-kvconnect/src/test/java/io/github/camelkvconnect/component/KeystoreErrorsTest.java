package io.github.camelkvconnect.component;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A keystore that cannot be used (wrong PIN, no private key) fails with a {@link KvConnectKeystoreException} that names
 * the file and never the PIN; nothing is sent, nothing received is lost, and fixing the keystore file is picked up
 * without a restart.
 */
class KeystoreErrorsTest extends KvConnectTestSupport {

    private static final String WRONG_PIN = "wrong-PIN-0815";

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    private static void assertNamesFileButNoPin(KvConnectKeystoreException e, Path keystore) {
        assertEquals(keystore, e.getKeystore());
        assertTrue(e.getMessage().contains(keystore.toString()), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            assertFalse(m.contains(WRONG_PIN) || m.contains(EmulatorFixture.PIN), "PIN in: " + m);
        }
    }

    /** The same key and chain, protected by another PIN. */
    private static Path keystoreWithPin(Path file, EmulatorFixture.Account account, String pin) throws Exception {
        return TestKeys.keystore(file, account.keys().getPrivate(),
                List.of(account.certificate(), kvc.emulator().userCaCertificate()), pin);
    }

    @Test
    void wrongPinFailsSendingWithATypedErrorNamingTheFile() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path keystore = keystoreWithPin(testDir.resolve("alice-other-pin.p12"), alice, WRONG_PIN);

        Exchange result = template.request(kvc.uri(alice.username(), keystore, testDir.resolve("producer"), ""), e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        KvConnectKeystoreException e = assertInstanceOf(KvConnectKeystoreException.class, result.getException());
        assertTrue(e.getMessage().contains("wrong PIN"), e.getMessage());
        assertTrue(e.getMessage().contains("keystorePassword"), e.getMessage());
        assertNamesFileButNoPin(e, keystore);
        assertTrue(mailbox(bob).isEmpty(), "nothing was sent");
    }

    @Test
    void keystoreWithoutPrivateKeyFailsWithATypedErrorNamingTheFile() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path keystore = testDir.resolve("only-certificates.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("alice", alice.certificate());
        try (OutputStream out = Files.newOutputStream(keystore)) {
            ks.store(out, EmulatorFixture.PIN.toCharArray());
        }

        Exchange result = template.request(kvc.uri(alice.username(), keystore, testDir.resolve("producer"), ""), e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        KvConnectKeystoreException e = assertInstanceOf(KvConnectKeystoreException.class, result.getException());
        assertTrue(e.getMessage().contains("no private key"), e.getMessage());
        assertNamesFileButNoPin(e, keystore);
        assertTrue(mailbox(bob).isEmpty(), "nothing was sent");
    }

    @Test
    void keystoreWithSeveralKeysUsesTheOneNamedKvconnect() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        KeyPair other = TestKeys.rsa();
        Path keystore = testDir.resolve("two-keys.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pin = EmulatorFixture.PIN.toCharArray();
        ks.setKeyEntry("an-old-key", other.getPrivate(), pin,
                new X509Certificate[] { TestKeys.selfSigned(other, "CN=old") });
        ks.setKeyEntry("kvconnect", alice.keys().getPrivate(), pin,
                new X509Certificate[] { alice.certificate(), kvc.emulator().userCaCertificate() });
        try (OutputStream out = Files.newOutputStream(keystore)) {
            ks.store(out, pin);
        }

        Exchange result = template.request(kvc.uri(alice.username(), keystore, testDir.resolve("producer"), ""), e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader(KvConnectConstants.TO, bob.address());
        });
        assertNull(result.getException());
        assertEquals(1, mailbox(bob).size());
    }

    @Test
    void wrongPinKeepsReceivedMessagesOnTheServerUntilTheKeystoreIsFixed() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        template.sendBodyAndHeader(producerUri(alice), "Befund", KvConnectConstants.TO, bob.address());
        Path keystore = keystoreWithPin(testDir.resolve("bob.p12"), bob, WRONG_PIN);

        MockEndpoint errors = getMockEndpoint("mock:errors");
        errors.expectedMinimumMessageCount(1);
        MockEndpoint inbox = getMockEndpoint("mock:inbox");
        inbox.expectedBodiesReceived("Befund");
        // a long backoff: only the keystore change can make the message due again within the test
        String uri = kvc.uri(bob.username(), keystore, state("bob"), FAST_POLL + "&failureBackoff=600000");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:errors"));
                from(uri).setBody(header(KvConnectConstants.TEXT)).to("mock:inbox");
            }
        });
        errors.assertIsSatisfied(20_000);
        KvConnectDecryptionException failure = assertInstanceOf(KvConnectDecryptionException.class,
                errors.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        KvConnectKeystoreException cause = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KvConnectKeystoreException k) {
                cause = k;
            }
        }
        assertInstanceOf(KvConnectKeystoreException.class, cause, "the keystore problem is the cause");
        assertNamesFileButNoPin(cause, keystore);
        assertEquals(1, mailbox(bob).size(), "the message stays on the server");
        assertEquals(0, inbox.getReceivedCounter());

        // The operator installs the keystore protected by the configured PIN: the change is detected without a restart.
        Path fixed = keystoreWithPin(testDir.resolve("bob-fixed.p12"), bob, EmulatorFixture.PIN);
        Files.move(fixed, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        inbox.assertIsSatisfied(20_000);
        awaitMailboxSize(bob, 0);
    }
}
