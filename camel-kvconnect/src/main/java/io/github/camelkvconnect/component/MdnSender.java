package io.github.camelkvconnect.component;

import java.util.List;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.crypto.ReceivedMessage;
import io.github.camelkvconnect.component.mime.EntityPart;
import io.github.camelkvconnect.component.mime.HeaderValues;
import io.github.camelkvconnect.component.rest.MailHeader;
import io.github.camelkvconnect.component.state.PendingReceipts;

/**
 * Decides about and sends the Eingangsbestaetigung (receipt notification, an RFC 8098 style MDN; domain reference
 * §7.3) for a received message that asked for one with Disposition-Notification-To. The MDN goes to the original
 * sender only (never to an arbitrary address named in the header), signed and encrypted like every KV-Connect message.
 * When and how often it is sent is up to {@link ReceiptDelivery}, from the durable record made here.
 */
final class MdnSender {

    private static final Logger LOG = LoggerFactory.getLogger(MdnSender.class);

    private final KvConnectEndpoint endpoint;

    MdnSender(KvConnectEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Whether the message gets a receipt: it asked for one with Disposition-Notification-To, the endpoint sends
     * receipts (sendMdn) and its signature verified.
     * <p>
     * A receipt for a message whose signature did not verify would tell an outside attacker that a manipulated
     * ciphertext (e.g. a modified AES-CBC message with valid padding) decrypted and was delivered: a decryption oracle.
     * Such messages (delivered under {@code signaturePolicy=warn}) therefore never get an automatic receipt.
     *
     * @param  received the decrypted message; its signature status decides
     * @return          {@link ReceiptState#REQUESTED} if a receipt is to be recorded and sent, else why not
     */
    ReceiptState decide(MailHeader header, ReceivedMessage received) {
        String requestedBy = header.get("disposition-notification-to");
        if (requestedBy == null || requestedBy.isBlank()) {
            return ReceiptState.NOT_REQUESTED;
        }
        if (!endpoint.getConfiguration().isSendMdn()) {
            return ReceiptState.DISABLED;
        }
        if (!received.signatureValid()) {
            return ReceiptState.REFUSED;
        }
        return ReceiptState.REQUESTED;
    }

    /**
     * The record of the receipt for a message that {@link #decide} found to get one: everything needed to send it later
     * without the original message.
     *
     * @throws KvConnectInvalidHeaderException the sender address or the Message-ID could not travel in the receipt's
     *                                         headers
     */
    PendingReceipts.Receipt receiptFor(MailHeader header, String messageId) throws KvConnectInvalidHeaderException {
        // The sender chose the id; real peers send ids outside RFC 5322's strict form (e.g. without '@'), so the
        // lenient reference rule applies. It still refuses anything that could break the receipt's headers.
        String originalId = HeaderValues.messageIdReference("In-Reply-To", messageId);
        String from = HeaderValues.address("From", stripAngles(header.from()));
        String notify = HeaderValues.address("Disposition-Notification-To",
                stripAngles(header.get("disposition-notification-to")));
        if (!notify.equalsIgnoreCase(from)) {
            LOG.warn("Message {} asks for a receipt to {}, which is not its sender {}; sending the receipt to the sender",
                    MailHeader.display(messageId), notify, from);
        }
        String dienstkennung = HeaderValues.text("X-KVC-Dienstkennung", mdnDienstkennung(header.dienstkennung()));
        return new PendingReceipts.Receipt(PendingReceipts.receiptMessageId(endpoint.getAddress(), originalId), originalId,
                from, dienstkennung, endpoint.clock().instant(), 0);
    }

    /** Logs why a message that asked for a receipt gets none. */
    static void logNotSent(ReceiptState state, MailHeader header, ReceivedMessage received) {
        if (state == ReceiptState.REFUSED) {
            LOG.info("No Eingangsbestaetigung (receipt) sent for KV-Connect message {}: its signature did not verify ({}); "
                     + "receipts are sent only for messages with a valid signature",
                    header.displayMessageId(), received.signatureStatus());
        }
    }

    /**
     * Sends a recorded receipt under its own (deterministic) Message-ID, signed and encrypted for the original sender.
     *
     * @throws Exception the receipt was not sent (or the answer was lost); it stays recorded
     */
    void send(PendingReceipts.Receipt receipt) throws Exception {
        // The record was checked when it was made; checked again because the file it was read from is outside this
        // process' control, and its values become headers of the receipt.
        String originalId = HeaderValues.messageIdReference("In-Reply-To", receipt.originalMessageId());
        MessageSender.Request request = new MessageSender.Request(
                HeaderValues.messageIdReference("Message-ID", receipt.receiptMessageId()),
                List.of(HeaderValues.address("To", receipt.recipient())), List.of(), "Eingangsbestaetigung",
                HeaderValues.text("X-KVC-Dienstkennung", receipt.dienstkennung()),
                endpoint.getConfiguration().getSendersystem(), originalId, null, report(originalId));
        new MessageSender(endpoint).send(request);
    }

    /** {@code App;Type;Vx} becomes {@code App;Eingangsbestaetigung;Vx}. */
    static String mdnDienstkennung(String original) {
        if (original == null) {
            return null;
        }
        String[] parts = original.split(";");
        if (parts.length >= 3) {
            return parts[0] + ";Eingangsbestaetigung;" + parts[2];
        }
        return original;
    }

    private static String stripAngles(String address) {
        if (address == null) {
            return null;
        }
        String a = address.strip();
        int lt = a.lastIndexOf('<');
        int gt = a.lastIndexOf('>');
        return lt >= 0 && gt > lt ? a.substring(lt + 1, gt) : a;
    }

    private static MimeBodyPart report(String originalMessageId) throws Exception {
        MimeMultipart report = new MimeMultipart("report; report-type=disposition-notification");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Dies ist eine Eingangsbestaetigung fuer die Nachricht " + originalMessageId
                     + ". Die Nachricht wurde vom System des Empfaengers abgeholt.", "utf-8");
        report.addBodyPart(text);
        MimeBodyPart notification = new MimeBodyPart();
        notification.setContent("Original-Message-ID: " + originalMessageId + "\r\n"
                                + "Disposition: automatic-action/MDN-sent-automatically;displayed\r\n",
                "message/disposition-notification");
        report.addBodyPart(notification);
        EntityPart entity = new EntityPart();
        entity.setContent(report);
        return entity.prepared();
    }
}
