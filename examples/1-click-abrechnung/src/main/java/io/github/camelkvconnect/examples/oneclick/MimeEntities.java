package io.github.camelkvconnect.examples.oneclick;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;

/**
 * Builds the business MIME entities of 1-Click-Abrechnung messages. The {@code kvconnect} producer takes a complete
 * {@link MimeMessage} as body and sends its content as the message (signed and encrypted); this gives exact control
 * over every part, which the 1-Click specification prescribes: attachments only, each with
 * {@code Content-Type: ...; name="<file>"}, {@code Content-Disposition: attachment; filename="<file>"} (the same name)
 * and base64.
 */
public final class MimeEntities {

    private MimeEntities() {
    }

    /** An attachment part; the data source is read only when the message is written (a file is streamed). */
    public static MimeBodyPart attachment(DataSource data, String fileName, String contentType) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(data));
        ContentType type = new ContentType(contentType);
        type.setParameter("name", fileName);
        part.setHeader("Content-Type", type.toString());
        part.setDisposition(Part.ATTACHMENT);
        part.setFileName(fileName);
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    /** A UTF-8 text part (a human-readable body). */
    public static MimeBodyPart text(String text) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, "utf-8");
        part.setHeader("Content-Transfer-Encoding", "quoted-printable");
        return part;
    }

    /** The entity with the given content and all derived headers (boundary, nested parts) filled in. */
    public static MimeMessage entity(Multipart content) throws MessagingException {
        EntityMessage message = new EntityMessage();
        message.setContent(content);
        message.saveChanges();
        return message;
    }

    /**
     * Only the content of this message is sent (the component writes its own envelope headers), so it needs no
     * Message-ID of its own; generating one would look up the local host name for nothing.
     */
    private static final class EntityMessage extends MimeMessage {
        EntityMessage() {
            super((Session) null);
        }

        @Override
        protected void updateMessageID() {
            // no Message-ID for the inner entity
        }
    }
}
