package io.github.camelkvconnect.examples.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConstants;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * The two routes of the HL7 bridge.
 * <ul>
 * <li>{@value #KVCONNECT_TO_MLLP}: every HL7v2 attachment of a received KV-Connect message is parsed with HAPI and
 * sent over MLLP to the hospital or lab system; the KV-Connect message is deleted on the server only when every
 * attachment was acknowledged with {@code AA}. A negative acknowledgement, a timeout or an unparseable attachment
 * fails the exchange, and the message stays on the server for the next poll. A message whose signature did not
 * verify is never forwarded (it fails the exchange and stays on the server).</li>
 * <li>{@value #MLLP_TO_KVCONNECT}: an HL7v2 message received over MLLP is parsed and sent over KV-Connect to a fixed
 * recipient, as attachment {@code <control id>.hl7}. The MLLP sender gets {@code AA} only after the KV-Connect server
 * accepted the message, otherwise a negative acknowledgement, so it sends again.</li>
 * </ul>
 */
public class Hl7BridgeRoutes extends RouteBuilder {

    /** Route id: KV-Connect to MLLP. */
    public static final String KVCONNECT_TO_MLLP = "hl7-kvconnect-to-mllp";
    /** Route id: MLLP to KV-Connect. */
    public static final String MLLP_TO_KVCONNECT = "hl7-mllp-to-kvconnect";

    private static final String ORIGINAL_HL7 = "Hl7BridgeOriginal";

    private final Hl7BridgeSettings settings;
    private final Hl7v2Documents documents = new Hl7v2Documents();

    /** @param settings the endpoints and the KV-Connect recipient */
    public Hl7BridgeRoutes(Hl7BridgeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void configure() {
        // HL7 messages carry patient data (PHI): camel-mllp must not copy them into exception messages and logs.
        getCamelContext().getComponent("mllp", MllpComponent.class).setLogPhi(false);

        from(settings.kvconnectConsumerUri()).routeId(KVCONNECT_TO_MLLP)
                // the component delivers messages with a failed signature check (signaturePolicy=warn, as the service
                // description demands); nothing unverified may reach the clinical system
                .process(Hl7BridgeRoutes::requireVerifiedSender)
                .process(this::hl7AttachmentsToBody)
                .split(body()).stopOnException()
                    .to("mllp://" + settings.mllpTarget() + "?charsetName=" + Hl7v2Documents.CHARSET.name())
                    .log("HL7 message from KV-Connect message ${header.CamelKvConnectMessageId} forwarded,"
                         + " acknowledgement ${header." + MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE + "}")
                .end();

        from("mllp://" + settings.mllpListen() + "?charsetName=" + Hl7v2Documents.CHARSET.name())
                .routeId(MLLP_TO_KVCONNECT)
                .process(this::hl7ToKvConnectMessage)
                .to(settings.kvconnectProducerUri())
                .log("HL7 message ${header.CamelKvConnectSubject} sent over KV-Connect as ${header.CamelKvConnectMessageId}")
                // the MLLP consumer builds the acknowledgement from the message it received
                .setBody(exchangeProperty(ORIGINAL_HL7));
    }

    /**
     * Fails the exchange unless the signature verified: the outer headers (From, Dienstkennung) of a KV-Connect message
     * are not protected, only a valid signature says who sent it. The message stays on the server.
     */
    private static void requireVerifiedSender(Exchange exchange) throws Hl7BridgeException {
        Message in = exchange.getMessage();
        if (!Boolean.TRUE.equals(in.getHeader(KvConnectConstants.SIGNATURE_VALID, Boolean.class))) {
            throw new Hl7BridgeException("KV-Connect message " + in.getHeader(KvConnectConstants.MESSAGE_ID)
                                         + " is not forwarded over MLLP: its signature did not verify ("
                                         + in.getHeader(KvConnectConstants.SIGNATURE_STATUS) + ": "
                                         + in.getHeader(KvConnectConstants.SIGNATURE_DETAIL) + "). It stays on the"
                                         + " server; check the sender with the practice before deleting it by hand.",
                    null);
        }
    }

    /** Body := the HL7v2 attachments, each as ER7 text with CR segment separators, parsed once to reject garbage. */
    private void hl7AttachmentsToBody(Exchange exchange) throws IOException {
        AttachmentMessage in = exchange.getMessage(AttachmentMessage.class);
        List<String> messages = new ArrayList<>();
        if (in.hasAttachments()) {
            for (Map.Entry<String, DataHandler> a : in.getAttachments().entrySet()) {
                if (Hl7v2Documents.isHl7v2(a.getKey(), a.getValue().getContentType())) {
                    try (InputStream content = a.getValue().getInputStream()) {
                        String er7 = Hl7v2Documents.normalize(new String(content.readAllBytes(), Hl7v2Documents.CHARSET));
                        ca.uhn.hl7v2.model.Message parsed = documents.parse(er7);
                        log.info("KV-Connect message {} carries {} {} in {}", in.getHeader(KvConnectConstants.MESSAGE_ID),
                                Hl7v2Documents.type(parsed), Hl7v2Documents.controlId(parsed), a.getKey());
                        messages.add(er7);
                    }
                }
            }
        }
        if (messages.isEmpty()) {
            throw new Hl7BridgeException("KV-Connect message " + in.getHeader(KvConnectConstants.MESSAGE_ID)
                                         + " carries no HL7v2 attachment (media type " + Hl7v2Documents.CONTENT_TYPE
                                         + " or file name *.hl7); it stays on the server. Restrict the consumer with"
                                         + " dienstkennungFilter to the HL7 messages.", null);
        }
        in.setBody(messages);
    }

    /** Turns the received ER7 message into a KV-Connect message with the HL7 message as attachment. */
    private void hl7ToKvConnectMessage(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] bytes = in.getBody(byte[].class);
        exchange.setProperty(ORIGINAL_HL7, bytes);
        ca.uhn.hl7v2.model.Message parsed = documents.parse(new String(bytes, Hl7v2Documents.CHARSET));
        String type = Hl7v2Documents.type(parsed);
        String controlId = Hl7v2Documents.controlId(parsed);
        in.setHeader(KvConnectConstants.TO, settings.recipient());
        in.setHeader(KvConnectConstants.SUBJECT, "HL7 " + type + " " + controlId);
        in.setHeader(KvConnectConstants.DIENSTKENNUNG, settings.dienstkennung());
        in.setBody("HL7v2 message " + type + ", control id " + controlId + ", attached.");
        exchange.getMessage(AttachmentMessage.class).addAttachment(safeFileName(controlId) + ".hl7",
                new DataHandler(new ByteArrayDataSource(bytes, Hl7v2Documents.CONTENT_TYPE)));
    }

    /** The control id is chosen by the sender: keep only characters that are safe in a file name. */
    static String safeFileName(String controlId) {
        String safe = controlId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "hl7-message" + safe;
        }
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }
}
