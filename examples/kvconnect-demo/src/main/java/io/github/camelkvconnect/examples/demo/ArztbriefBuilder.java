package io.github.camelkvconnect.examples.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Properties;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Turns a file from an outbox into an eArztbrief (electronic doctor's letter) as the KV-Connect eArztbrief service
 * defines it: Subject {@code Arztbrief}, Dienstkennung (service identifier) {@code Arztbrief;VHitG-Versand;V1.0}, a
 * {@code multipart/mixed} entity with a short cover text (no medical content) and the file as an attachment labelled
 * by its {@code Content-Description}: {@code eAB-PDF-unsigned} for a PDF, {@code eAB-XML} for the CDA XML, otherwise
 * {@code eAB-Anhang-01}. {@code Disposition-Notification-To} asks the recipient for an Eingangsbestaetigung (MDN).
 * <p>
 * The entity is built here as a complete {@link MimeMessage} (which the component sends as the business entity)
 * rather than as Camel attachments, because the component does not carry attachment headers such as
 * Content-Description into the message it sends.
 */
final class ArztbriefBuilder implements Processor {

    static final String DIENSTKENNUNG = "Arztbrief;VHitG-Versand;V1.0";
    static final String SUBJECT = "Arztbrief";

    /** The parts an eArztbrief may carry, recognised by file extension. */
    enum DocumentPart {
        PDF("application/pdf", "eAB-PDF-unsigned"),
        XML("application/xml", "eAB-XML"),
        OTHER(null, "eAB-Anhang-01");

        final String contentType;
        final String description;

        DocumentPart(String contentType, String description) {
            this.contentType = contentType;
            this.description = description;
        }

        static DocumentPart of(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".pdf")) {
                return PDF;
            }
            return lower.endsWith(".xml") ? XML : OTHER;
        }
    }

    private final Practice sender;
    private final Practice recipient;
    private final Session session = Session.getInstance(new Properties());

    ArztbriefBuilder(Practice sender, Practice recipient) {
        this.sender = sender;
        this.recipient = recipient;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        File file = m.getBody(File.class);
        m.setBody(letter(file));
        m.setHeader(KvConnectConstants.TO, recipient.address());
        m.setHeader(KvConnectConstants.SUBJECT, SUBJECT);
        m.setHeader(KvConnectConstants.DIENSTKENNUNG, DIENSTKENNUNG);
        m.setHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, sender.address());
    }

    MimeMessage letter(File file) throws MessagingException, IOException {
        String name = SafeNames.fileName(file.getName(), "dokument");
        DocumentPart kind = DocumentPart.of(name);

        MimeBodyPart cover = new MimeBodyPart();
        cover.setText("Sehr geehrte Kollegin, sehr geehrter Kollege,\n\n"
                      + "anbei erhalten Sie einen eArztbrief.\n\n"
                      + "Mit freundlichen Gr\u00fc\u00dfen\n" + sender.address() + "\n", "utf-8");

        MimeBodyPart document = new MimeBodyPart();
        // Streamed from the outbox file when the component writes the message: no copy in memory.
        document.setDataHandler(new DataHandler(new TypedFileDataSource(file, contentType(file, kind))));
        document.setFileName(MimeUtility.encodeText(name, "utf-8", null));
        document.setDisposition(Part.ATTACHMENT);
        document.setDescription(kind.description);
        document.setHeader("Content-Transfer-Encoding", "base64");

        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(cover);
        mixed.addBodyPart(document);
        MimeMessage letter = new MimeMessage(session);
        letter.setContent(mixed);
        // Computes Content-Type (with boundary) and transfer encodings, which the component reads from the message.
        letter.saveChanges();
        return letter;
    }

    private static String contentType(File file, DocumentPart kind) throws IOException {
        if (kind.contentType != null) {
            return kind.contentType;
        }
        String probed = Files.probeContentType(file.toPath());
        return probed != null ? probed : "application/octet-stream";
    }

    /** A file data source with a fixed content type (the JDK's guess from the name is not always right). */
    private static final class TypedFileDataSource extends FileDataSource {
        private final String type;

        TypedFileDataSource(File file, String type) {
            super(file);
            this.type = type;
        }

        @Override
        public String getContentType() {
            return type;
        }
    }
}
