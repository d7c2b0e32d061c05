package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;

import io.github.camelkvconnect.component.KvConnectConstants;
import io.github.camelkvconnect.component.crypto.ReceivedMessage;

/**
 * Maps a decrypted message onto an exchange. Only an allow-list of headers is set, all under {@code CamelKvConnect*}
 * names chosen here; no header name from the message or the server ever becomes an exchange header, so inbound data
 * cannot inject Camel control headers ({@code Camel*}, {@code org.apache.camel.*}, {@code mail.*}).
 */
public final class InboundMapper {

    /** The first inline text/plain part of the message, as a String (also mapped as body text). */
    public static final String TEXT_HEADER = KvConnectConstants.TEXT;

    private static final int MAX_DEPTH = 16;

    private InboundMapper() {
    }

    /** Name of the attachment that holds the whole message text when it is too long for the text header. */
    public static final String FULL_TEXT_ATTACHMENT = "message-text.txt";

    /**
     * @param maxTextChars the most characters of the message text put into the text header; a message's text may be
     *                     hundreds of MiB, far more than the heap
     */
    public static void map(ReceivedMessage received, String account, int maxTextChars, Exchange exchange)
            throws IOException, MessagingException {
        Message in = exchange.getIn();
        Map<String, String> h = received.headers();
        in.setHeader(KvConnectConstants.ACCOUNT, account);
        put(in, KvConnectConstants.MESSAGE_ID, h.get("message-id"));
        put(in, KvConnectConstants.FROM, h.get("from"));
        put(in, KvConnectConstants.TO, h.get("to"));
        put(in, KvConnectConstants.CC, h.get("cc"));
        put(in, KvConnectConstants.SUBJECT, decode(h.get("subject")));
        put(in, KvConnectConstants.DATE, h.get("date"));
        put(in, KvConnectConstants.IN_REPLY_TO, h.get("in-reply-to"));
        put(in, KvConnectConstants.DIENSTKENNUNG, h.get("x-kvc-dienstkennung"));
        put(in, KvConnectConstants.SENDERSYSTEM, h.get("x-kvc-sendersystem"));
        put(in, KvConnectConstants.DISPOSITION_NOTIFICATION_TO, h.get("disposition-notification-to"));
        in.setHeader(KvConnectConstants.SIGNATURE_STATUS, received.signatureStatus());
        in.setHeader(KvConnectConstants.SIGNATURE_VALID, received.signatureValid());
        in.setHeader(KvConnectConstants.SIGNATURE_LAYERS, received.signatureLayers());
        put(in, KvConnectConstants.SIGNATURE_DETAIL, received.signatureDetail());
        put(in, KvConnectConstants.SIGNER_ADDRESS, received.signerAddress());
        if (received.signer() != null) {
            in.setHeader(KvConnectConstants.SIGNER_CERTIFICATE, received.signer());
        }
        MimeMessage entity = received.businessEntity();
        in.setBody(entity);
        // Attachments live on the message itself (a message trait); the wrapper only gives access to them.
        new Walker(exchange.getIn(AttachmentMessage.class), in, received.content()::isReleased, maxTextChars)
                .walk(entity, 0);
    }

    /**
     * Sets a header from a received value with every control character (CR, LF, NUL, ...) replaced by a space:
     * an encoded word such as {@code =?UTF-8?Q?Befund=0D=0ABcc:_x@evil?=} decodes to a line break, and a route that
     * copies the subject into an outgoing mail or a file must not receive one.
     */
    private static void put(Message in, String name, String value) {
        if (value != null && !value.isBlank()) {
            in.setHeader(name, HeaderSafety.withControlsAsSpaces(value).strip());
        }
    }

    private static String decode(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(value);
        } catch (java.io.UnsupportedEncodingException e) {
            return value;
        }
    }

    /** Collects leaf parts: the first inline text/plain becomes the text header, all others attachments. */
    private static final class Walker {
        private final AttachmentMessage attachments;
        private final Message in;
        private final BooleanSupplier released;
        private final int maxTextChars;
        private boolean textFound;
        private int counter;

        Walker(AttachmentMessage attachments, Message in, BooleanSupplier released, int maxTextChars) {
            this.attachments = attachments;
            this.in = in;
            this.released = released;
            this.maxTextChars = maxTextChars;
        }

        void walk(Part part, int depth) throws IOException, MessagingException {
            if (depth > MAX_DEPTH) {
                throw new MessagingException("MIME structure nested deeper than " + MAX_DEPTH + " levels");
            }
            if (part.isMimeType("multipart/*")) {
                Multipart mp = (Multipart) part.getContent();
                for (int i = 0; i < mp.getCount(); i++) {
                    walk(mp.getBodyPart(i), depth + 1);
                }
                return;
            }
            String disposition = part.getDisposition();
            boolean inline = disposition == null || Part.INLINE.equalsIgnoreCase(disposition);
            if (!textFound && inline && part.getFileName() == null && part.isMimeType("text/plain")) {
                textFound = true;
                // Never part.getContent(): it reads the whole text into memory, whatever its size.
                TextPrefix text = TextPrefix.read(part, maxTextChars);
                in.setHeader(TEXT_HEADER, text.text());
                if (text.truncated()) {
                    in.setHeader(KvConnectConstants.TEXT_TRUNCATED, true);
                    addAttachment(part, FULL_TEXT_ATTACHMENT);
                }
                return;
            }
            if (part instanceof BodyPart || depth > 0 || part.getFileName() != null) {
                addAttachment(part);
            }
        }

        private void addAttachment(Part part) throws MessagingException {
            addAttachment(part, null);
        }

        private void addAttachment(Part part, String fixedName) throws MessagingException {
            counter++;
            String name = fixedName != null ? fixedName : part.getFileName();
            if (name != null) {
                try {
                    name = MimeUtility.decodeText(name);
                } catch (java.io.UnsupportedEncodingException e) {
                    // keep the encoded name
                }
            }
            name = AttachmentNames.safe(name != null ? name : "part-" + counter);
            if (attachments.getAttachmentNames().contains(name)) {
                name = counter + "-" + name;
            }
            DefaultAttachment attachment = new DefaultAttachment(new DataHandler(new PartDataSource(part, released, in, name)));
            String description = part instanceof jakarta.mail.internet.MimePart mp ? mp.getHeader("Content-Description", null) : null;
            // unfolded and decoded (RFC 2047) first, so that an encoded line break is caught by the check as well
            description = description == null ? null : decode(MimeUtility.unfold(description));
            if (description != null && HeaderSafety.isValueSafe(description)) {
                attachment.setHeader("Content-Description", description);
            }
            attachments.addAttachmentObject(name, attachment);
        }
    }
}
