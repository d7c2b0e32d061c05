package io.github.camelkvconnect.component;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;
import io.github.camelkvconnect.smime.CertificatePathCache;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The endpoint builds a reader per message; the signer's certificate path accepted for the first message is taken from
 * the endpoint's path cache for the next one, and only for the trust anchors it was accepted against.
 */
class CertificatePathMemoryTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Test
    void theSecondMessageReusesTheSignersPathAndOtherAnchorsAreCheckedAnew() throws Exception {
        EmulatorFixture.Account alice = kvc.account(unique("alice"));
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        send(alice, bob, "first");
        send(alice, bob, "second");

        MockEndpoint inbox = receive(bob, "", 2);
        for (var exchange : inbox.getReceivedExchanges()) {
            assertEquals("VALID", exchange.getMessage().getHeader(KvConnectConstants.SIGNATURE_STATUS));
        }
        KvConnectEndpoint endpoint = consumerEndpoint(bob);
        CertificatePathCache paths = endpoint.certificatePaths();
        assertEquals(1, paths.size(), "alice's path, validated once");
        assertEquals(1, paths.hits(), "the second message did not validate alice's path again");

        // Restart with anchors named like the emulator's CAs but with other keys: alice's path is built exactly as
        // before, and the remembered acceptance must not carry over to these anchors.
        context.getRouteController().stopRoute(bob.username());
        endpoint.stop();
        endpoint.getConfiguration().setSmimeTrustAnchors(lookalikeAnchors(kvc.smimeAnchors()).toString());
        endpoint.start();
        inbox.reset();
        inbox.expectedMessageCount(1);
        send(alice, bob, "third");
        context.getRouteController().startRoute(bob.username());
        inbox.assertIsSatisfied(20_000);
        assertEquals("UNTRUSTED_CHAIN", inbox.getReceivedExchanges().get(0).getMessage()
                .getHeader(KvConnectConstants.SIGNATURE_STATUS));
        assertEquals(1, paths.hits(), "no answer from the cache for other anchors");
    }

    /** Self-signed certificates with the subjects of the anchors in {@code pem}, each for a new key. */
    private Path lookalikeAnchors(Path pem) throws Exception {
        StringBuilder lookalikes = new StringBuilder();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(Files.readAllBytes(pem)))) {
            String subject = ((X509Certificate) c).getSubjectX500Principal().getName();
            lookalikes.append(EmulatorFixture.pem(TestKeys.selfSigned(TestKeys.rsa(), subject)));
        }
        return Files.writeString(testDir.resolve("lookalike-anchors.pem"), lookalikes.toString());
    }
}
