package io.github.camelkvconnect.examples.oneclick.simulator;

import java.nio.charset.StandardCharsets;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import org.apache.camel.Message;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.examples.oneclick.MimeEntities;
import io.github.camelkvconnect.examples.oneclick.OneClick;

/**
 * The two answers of the KV, as the 1-Click specification shows them, set up on a message for the {@code kvconnect}
 * producer of the KV's account.
 */
public final class KvAnswers {

    /** The X-KVC-Sendersystem of the simulator's messages. */
    public static final String SENDERSYSTEM = "KV-Simulator;V0.1";
    /** The file name of the check protocol in the Rueckmeldung. */
    public static final String PROTOKOLL = "Protokoll.pdf";

    private KvAnswers() {
    }

    /**
     * The Eingangsbestaetigung (technical receipt) for a Lieferung: an RFC 8098 style {@code multipart/report} with a
     * human-readable part and the {@code message/disposition-notification} part naming the Lieferung's Message-ID,
     * which is also the {@code In-Reply-To}. No attachments.
     */
    public static void eingangsbestaetigung(Message m, String to, String lieferungMessageId) throws MessagingException {
        MimeMultipart report = new MimeMultipart("report; report-type=disposition-notification");
        report.addBodyPart(MimeEntities.text("Ihre 1ClickAbrechnung-Lieferung " + lieferungMessageId
                                             + " ist bei der KV eingegangen."));
        MimeBodyPart notification = new MimeBodyPart();
        // Raw bytes with an explicit type: no content handler for message/disposition-notification is needed.
        notification.setDataHandler(new DataHandler(new ByteArrayDataSource(
                ("Original-Message-ID: " + lieferungMessageId + "\r\n"
                 + "Disposition: automatic-action/MDN-sent-automatically;displayed\r\n")
                        .getBytes(StandardCharsets.US_ASCII), "message/disposition-notification")));
        notification.setHeader("Content-Type", "message/disposition-notification");
        notification.setHeader("Content-Transfer-Encoding", "7bit");
        report.addBodyPart(notification);
        m.setBody(MimeEntities.entity(report));
        m.setHeader(KvConnectConstants.TO, to);
        m.setHeader(KvConnectConstants.SUBJECT, OneClick.SUBJECT_EINGANGSBESTAETIGUNG);
        m.setHeader(KvConnectConstants.DIENSTKENNUNG, OneClick.DIENSTKENNUNG_EINGANGSBESTAETIGUNG);
        m.setHeader(KvConnectConstants.IN_REPLY_TO, lieferungMessageId);
        m.setHeader(KvConnectConstants.SENDERSYSTEM, SENDERSYSTEM);
    }

    /**
     * A Rueckmeldung (result of the checks): a text, the Begleitdatei of the Lieferung exactly as received (its GUID
     * is what the practice matches) and the protocol as PDF. Without a Begleitdatei (the Lieferung had none) the
     * practice cannot match it, which it then reports.
     */
    public static void rueckmeldung(Message m, String to, byte[] begleitdatei, String text, byte[] protokollPdf)
            throws MessagingException {
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(MimeEntities.text(text));
        if (begleitdatei != null) {
            mixed.addBodyPart(MimeEntities.attachment(new ByteArrayDataSource(begleitdatei, "application/xml"),
                    OneClick.BEGLEITDATEI, "application/xml"));
        }
        mixed.addBodyPart(MimeEntities.attachment(new ByteArrayDataSource(protokollPdf, "application/pdf"), PROTOKOLL,
                "application/pdf"));
        m.setBody(MimeEntities.entity(mixed));
        m.setHeader(KvConnectConstants.TO, to);
        m.setHeader(KvConnectConstants.SUBJECT, OneClick.SUBJECT_RUECKMELDUNG);
        m.setHeader(KvConnectConstants.DIENSTKENNUNG, OneClick.DIENSTKENNUNG_RUECKMELDUNG);
        m.setHeader(KvConnectConstants.SENDERSYSTEM, SENDERSYSTEM);
    }
}
