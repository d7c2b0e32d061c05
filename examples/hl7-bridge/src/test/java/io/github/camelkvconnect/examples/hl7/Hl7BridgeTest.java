package io.github.camelkvconnect.examples.hl7;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v25.message.ACK;
import ca.uhn.hl7v2.model.v25.message.ORU_R01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.protocol.ReceivingApplication;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.KvConnectEndpoint;
import io.github.camelkvconnect.emulator.KvConnectEmulator;
import io.github.camelkvconnect.emulator.MailboxEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge against the KV-Connect emulator (HTTPS) and HAPI's own MLLP server and client on loopback sockets: an
 * independent MLLP implementation on the hospital side, so the test does not only talk camel-mllp to camel-mllp.
 */
class Hl7BridgeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String DIENSTKENNUNG = "HL7v2;ORU_R01;V2.5";

    @TempDir
    static Path dir;

    static KvConnectEmulator emulator;
    static KvcTestAccounts accounts;
    static HapiContext hapi;

    /** The hospital system's MLLP listener: records what it parsed, answers AA (or AE when told to). */
    static HL7Service his;
    static int hisPort;
    static final BlockingQueue<Message> hisReceived = new LinkedBlockingQueue<>();
    static final AtomicBoolean hisRejects = new AtomicBoolean();

    private String practice;
    private String lab;
    private int bridgePort;
    private CamelContext bridge;
    private CamelContext other;

    @BeforeAll
    static void start() throws Exception {
        emulator = KvConnectEmulator.builder().start();
        accounts = new KvcTestAccounts(emulator, dir);
        hapi = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        // HAPI's default control-id generator writes an "id_file" into the working directory
        hapi.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        hisPort = freePort();
        his = hapi.newServer(hisPort, false);
        his.registerApplication(new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                try {
                    if (hisRejects.get()) {
                        return message.generateACK(AcknowledgmentCode.AE, new HL7Exception("result store unavailable"));
                    }
                    hisReceived.add(message);
                    return message.generateACK();
                } catch (IOException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        his.startAndWait();
    }

    @AfterAll
    static void stop() throws IOException {
        his.stopAndWait();
        hapi.close();
        emulator.close();
    }

    @BeforeEach
    void startBridge() throws Exception {
        practice = "praxis." + UUID.randomUUID().toString().substring(0, 8);
        lab = "labor." + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(practice);
        accounts.create(lab);
        hisReceived.clear();
        hisRejects.set(false);
        bridgePort = freePort();
        bridge = new DefaultCamelContext();
        bridge.addRoutes(new Hl7BridgeRoutes(new Hl7BridgeSettings(
                accounts.uri(lab, "bridge-" + lab, "delay=100&initialDelay=0&failureBackoff=100"),
                accounts.uri(lab, "bridge-producer-" + lab, ""),
                "127.0.0.1:" + hisPort, "127.0.0.1:" + bridgePort,
                KvcTestAccounts.address(practice), DIENSTKENNUNG)));
    }

    @AfterEach
    void stopBridge() throws Exception {
        bridge.close();
        if (other != null) {
            other.close();
        }
    }

    @Test
    void oruAttachmentFromKvConnectArrivesAtTheMllpListenerAndIsAcknowledged() throws Exception {
        NotifyBuilder acknowledged = new NotifyBuilder(bridge).fromRoute(Hl7BridgeRoutes.KVCONNECT_TO_MLLP)
                .whenAnyDoneMatches(e -> "AA".equals(e.getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE)))
                .create();
        bridge.start();
        // a practice system writes LF line ends: the bridge restores the CR segment separators
        sendOverKvConnect(practice, lab, oru("MSG00001", "Mustermann", "95").replace('\r', '\n'));

        Message received = hisReceived.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(received, "the MLLP listener received the HL7 message");
        ORU_R01 oru = assertInstanceOf(ORU_R01.class, received);
        assertEquals("MSG00001", oru.getMSH().getMessageControlID().getValue());
        assertEquals("ORU", oru.getMSH().getMessageType().getMessageCode().getValue());
        assertEquals("R01", oru.getMSH().getMessageType().getTriggerEvent().getValue());
        assertEquals("Mustermann",
                oru.getPATIENT_RESULT().getPATIENT().getPID().getPatientName(0).getFamilyName().getSurname().getValue());
        assertEquals("95", oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATION().getOBX()
                .getObservationValue(0).getData().encode());
        assertEquals("GLU", oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBR().getUniversalServiceIdentifier()
                .getIdentifier().getValue());

        assertTrue(acknowledged.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the bridge got the AA acknowledgement");
        awaitMailboxSize(lab, 0);
    }

    @Test
    void negativeAcknowledgementKeepsTheKvConnectMessageUntilTheListenerAcceptsIt() throws Exception {
        hisRejects.set(true);
        bridge.start();
        sendOverKvConnect(practice, lab, oru("MSG00003", "Musterfrau", "120"));
        KvConnectEndpoint endpoint = (KvConnectEndpoint) bridge.getRoute(Hl7BridgeRoutes.KVCONNECT_TO_MLLP).getEndpoint();

        Await.until("the AE acknowledgement failed the exchange", TIMEOUT, () -> endpoint.getKeptOnServerCount() >= 1);
        assertEquals(1, emulator.admin().listMailbox(lab).size(), "not acknowledged: still on the server");
        assertTrue(hisReceived.isEmpty());

        hisRejects.set(false);
        Message received = hisReceived.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(received, "delivered again on a later poll");
        assertEquals("MSG00003", ((ORU_R01) received).getMSH().getMessageControlID().getValue());
        awaitMailboxSize(lab, 0);
    }

    @Test
    void messageWhoseSignatureDoesNotVerifyIsNotForwardedAndStaysOnTheServer() throws Exception {
        // a forged From: the practice's signed message re-injected under the address of another sender
        String forgedSender = "chefarzt." + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(forgedSender);
        sendOverKvConnect(practice, lab, oru("MSG00004", "Fake", "500"));
        MailboxEntry original = emulator.admin().listMailbox(lab).get(0);
        String raw = new String(emulator.admin().readMessage(lab, original.messageId()).orElseThrow(),
                StandardCharsets.ISO_8859_1);
        int headerEnd = raw.indexOf("\r\n\r\n");
        String forged = raw.substring(0, headerEnd).replace(KvcTestAccounts.address(practice),
                KvcTestAccounts.address(forgedSender)) + raw.substring(headerEnd);
        assertTrue(forged.substring(0, headerEnd).contains("From: " + KvcTestAccounts.address(forgedSender)),
                "the From header names the forged sender");
        emulator.admin().deleteAllMessages(lab);
        emulator.admin().injectMessage(lab, forged.getBytes(StandardCharsets.ISO_8859_1));

        bridge.start();
        KvConnectEndpoint endpoint = (KvConnectEndpoint) bridge.getRoute(Hl7BridgeRoutes.KVCONNECT_TO_MLLP).getEndpoint();
        Await.until("the unverified message failed the exchange", TIMEOUT, () -> endpoint.getKeptOnServerCount() >= 1);
        assertEquals(1, emulator.admin().listMailbox(lab).size(), "not forwarded: still on the server");
        assertTrue(hisReceived.isEmpty(), "nothing reached the MLLP listener");
    }

    @Test
    void oruReceivedOverMllpArrivesAtTheOtherKvConnectAccount() throws Exception {
        BlockingQueue<Exchange> practiceInbox = new LinkedBlockingQueue<>();
        other = new DefaultCamelContext();
        other.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(accounts.uri(practice, "practice-" + practice, "delay=100&initialDelay=0"))
                        // decrypted content lives only while the exchange runs: copy the attachment here
                        .process(e -> {
                            DataHandler h = e.getMessage(AttachmentMessage.class).getAttachment("MSG00002.hl7");
                            if (h != null) {
                                try (InputStream c = h.getInputStream()) {
                                    e.getMessage().setHeader("testAttachment", c.readAllBytes());
                                }
                            }
                            practiceInbox.add(e);
                        });
            }
        });
        bridge.start();
        other.start();

        Message ack;
        Connection connection = hapi.newClient("127.0.0.1", bridgePort, false);
        try {
            ack = connection.getInitiator().sendAndReceive(hapi.getPipeParser().parse(oru("MSG00002", "Mustermann", "101")));
        } finally {
            connection.close();
        }
        assertEquals("AA", ((ACK) ack).getMSA().getAcknowledgmentCode().getValue(), "acknowledged after the KV-Connect send");
        assertEquals("MSG00002", ((ACK) ack).getMSA().getMessageControlID().getValue());

        Exchange in = practiceInbox.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(in, "the practice received the KV-Connect message");
        assertEquals(KvcTestAccounts.address(lab), in.getMessage().getHeader(KvConnectConstants.FROM));
        assertEquals(DIENSTKENNUNG, in.getMessage().getHeader(KvConnectConstants.DIENSTKENNUNG));
        assertEquals("HL7 ORU^R01 MSG00002", in.getMessage().getHeader(KvConnectConstants.SUBJECT));
        assertEquals(Boolean.TRUE, in.getMessage().getHeader(KvConnectConstants.SIGNATURE_VALID));
        byte[] attachment = in.getMessage().getHeader("testAttachment", byte[].class);
        assertNotNull(attachment, () -> String.valueOf(in.getMessage(AttachmentMessage.class).getAttachmentNames()));
        {
            ORU_R01 oru = (ORU_R01) new Hl7v2Documents().parse(new String(attachment, Hl7v2Documents.CHARSET));
            assertEquals("MSG00002", oru.getMSH().getMessageControlID().getValue());
            assertEquals("101", oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATION().getOBX()
                    .getObservationValue(0).getData().encode());
        }
    }

    @Test
    void unparseableMessageOverMllpGetsANegativeAcknowledgementAndIsNotSent() throws Exception {
        bridge.start();
        // MSH without message type (MSH-9): HAPI cannot tell what it is
        String reply = sendRawMllp(bridgePort, "MSH|^~\\&|LIS|Labor Berlin|PVS|Praxis|20261128120000|||BAD1|P|2.5\r");
        assertTrue(reply.contains("MSA|AE|BAD1") || reply.contains("MSA|AR|BAD1"), reply);
        assertEquals(0, emulator.admin().listMailbox(practice).size(), "nothing was sent over KV-Connect");
    }

    // ---- helpers

    /** Sends one MLLP frame over a plain socket and returns the acknowledgement frame's content. */
    private static String sendRawMllp(int port, String er7) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(0x0b);
            out.write(er7.getBytes(Hl7v2Documents.CHARSET));
            out.write(new byte[] { 0x1c, 0x0d });
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int b = in.read(); b != -1 && b != 0x1c; b = in.read()) {
                if (b != 0x0b) {
                    reply.append((char) b);
                }
            }
            return reply.toString();
        }
    }

    static String oru(String controlId, String familyName, String glucose) {
        return "MSH|^~\\&|LIS|Labor Berlin|PVS|Praxis|20261128120000||ORU^R01^ORU_R01|" + controlId + "|P|2.5\r"
               + "PID|1||12345^^^Praxis^PI||" + familyName + "^Max||19700101|M\r"
               + "OBR|1|ORD1|FIL1|GLU^Glucose^L\r"
               + "OBX|1|NM|GLU^Glucose^L||" + glucose + "|mg/dL|70-110|N|||F\r";
    }

    private void sendOverKvConnect(String from, String to, String er7) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            Exchange sent = template.request(accounts.uri(from, "producer-" + from, ""), e -> {
                e.getMessage().setBody("Laborbefund als HL7");
                e.getMessage().setHeader(KvConnectConstants.TO, KvcTestAccounts.address(to));
                e.getMessage().setHeader(KvConnectConstants.DIENSTKENNUNG, DIENSTKENNUNG);
                e.getMessage(AttachmentMessage.class).addAttachment("befund.hl7", new DataHandler(
                        new ByteArrayDataSource(er7.getBytes(Hl7v2Documents.CHARSET), Hl7v2Documents.CONTENT_TYPE)));
            });
            if (sent.getException() != null) {
                throw sent.getException();
            }
        }
    }

    private static void awaitMailboxSize(String account, int size) {
        Await.until(account + " has " + size + " message(s) on the server", TIMEOUT,
                () -> emulator.admin().listMailbox(account).size() == size);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
