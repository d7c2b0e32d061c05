package io.github.camelkvconnect.component;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.CamelContext;

import io.github.camelkvconnect.component.crypto.OutgoingMessage;
import io.github.camelkvconnect.component.support.EmulatorFixture;

/**
 * Transport messages built with an endpoint's own crypto but past the producer's checks (arbitrary headers, a signature
 * made with another account's key), for tests of what the consumer does with them. In this package because it uses
 * the endpoint's package-private crypto.
 */
public final class CraftedMessages {

    private CraftedMessages() {
    }

    /**
     * Signs {@code entity} with the key in {@code senderKeystore}, encrypts it for the recipient and the sender, and puts
     * it into the recipient's mailbox on the emulator; answers the emulator's Message-ID of it.
     */
    public static String inject(CamelContext context, EmulatorFixture kvc, Path stateDirectory, EmulatorFixture.Account sender,
                                Path senderKeystore, EmulatorFixture.Account recipient, MimeBodyPart entity,
                                Map<String, String> headers) throws Exception {
        KvConnectEndpoint endpoint = context.getEndpoint(kvc.uri(sender.username(), senderKeystore, stateDirectory, ""),
                KvConnectEndpoint.class);
        endpoint.certificateCache().find(recipient.address());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        endpoint.crypto().signAndEncrypt(new OutgoingMessage(entity, headers, sender.address(), List.of(recipient.address())),
                out);
        return kvc.admin().injectMessage(recipient.username(), out.toByteArray());
    }
}
