package io.github.camelkvconnect.component.mime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.file.GenericFile;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

/**
 * Builds the business MIME entity of an outgoing message from the exchange: the body (String, byte[], InputStream,
 * File, Path, a file consumer's {@link WrappedFile} or a complete MimeMessage) and the Camel attachments. Files are
 * attached as binary parts with their names and read from their files directly; streams and byte arrays are spooled to
 * temporary files so that the S/MIME layer can read them more than once without holding them in memory.
 */
public final class OutboundEntityBuilder {

    private static final String OCTET_STREAM = "application/octet-stream";

    private final Path workDirectory;

    public OutboundEntityBuilder(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /**
     * @param  tempFiles                      receives every temporary file created; the caller deletes them once the
     *                                        message is written
     * @throws KvConnectInvalidHeaderException if the Content-Type header or an attachment's carried header is invalid
     *                                        (checked before any content is read), or a header of any MIME part of
     *                                        the built entity (a route-built MimeMessage's included) is not allowed
     *                                        ({@link OutboundPartHeaders})
     * @throws InvalidPayloadException        if a file body can be neither read from a file nor converted to a stream
     */
    public MimeBodyPart build(Exchange exchange, List<Path> tempFiles)
            throws IOException, MessagingException, KvConnectInvalidHeaderException, InvalidPayloadException {
        List<MimeBodyPart> attachments = attachmentParts(exchange);
        EntityPart main = mainPart(exchange, tempFiles);
        EntityPart entity;
        if (attachments.isEmpty()) {
            entity = main;
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(main);
            for (MimeBodyPart part : attachments) {
                mixed.addBodyPart(part);
            }
            entity = new EntityPart();
            entity.setContent(mixed);
        }
        try {
            entity.prepared();
        } catch (ParseException e) {
            // Jakarta Mail quotes the value in its message, and the value may be content: not passed on
            throw new KvConnectInvalidHeaderException("A Content-Type of a MIME part of the message body (set by the route "
                                                      + "or taken from a data handler) cannot be parsed; refusing to "
                                                      + "send. Nothing was signed or sent.");
        }
        // after the derived headers are filled in, so that a Content-Type taken from a data handler is checked too
        OutboundPartHeaders.check(entity);
        return entity;
    }

    private EntityPart mainPart(Exchange exchange, List<Path> tempFiles)
            throws IOException, MessagingException, KvConnectInvalidHeaderException, InvalidPayloadException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof MimeMessage mm) {
            EntityPart main = new EntityPart();
            main.setDataHandler(mm.getDataHandler());
            main.setHeader("Content-Type", mm.getContentType());
            return main;
        }
        if (body instanceof WrappedFile<?> wrapped) {
            // checked before the String fallback: converting a file consumer's body to text corrupts binary files
            return wrappedFilePart(message, wrapped, tempFiles);
        }
        Path local = localFile(body);
        if (local != null) {
            String name = local.getFileName().toString();
            return filePart(local, name, fileContentType(message, name));
        }
        if (body instanceof byte[] || body instanceof InputStream) {
            String contentType = HeaderValues.contentType("Content-Type", message.getHeader(Exchange.CONTENT_TYPE, String.class));
            Path spooled = spool(body, tempFiles);
            EntityPart main = new EntityPart();
            main.setDataHandler(new DataHandler(new TypedFileDataSource(spooled.toFile(),
                    contentType != null ? contentType : OCTET_STREAM)));
            main.setHeader("Content-Transfer-Encoding", "base64");
            return main;
        }
        String text = body == null ? "" : message.getBody(String.class);
        EntityPart main = new EntityPart();
        main.setText(text, "utf-8");
        main.setHeader("Content-Transfer-Encoding", "quoted-printable");
        return main;
    }

    /**
     * A body from a file consumer (camel-file, or a remote file component): attached as a binary part with the file's
     * name. A local file is streamed from where it is; remote content (a stream, bytes, or whatever the file component's
     * converters give as a stream) is spooled to a temporary file first.
     */
    private EntityPart wrappedFilePart(Message message, WrappedFile<?> wrapped, List<Path> tempFiles)
            throws IOException, MessagingException, KvConnectInvalidHeaderException, InvalidPayloadException {
        Path local = localFile(wrapped.getFile());
        Object content = wrapped.getBody();
        if (local == null) {
            // a remote file downloaded to a local work directory
            local = localFile(content);
        }
        String name = message.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        if ((name == null || name.isBlank()) && wrapped instanceof GenericFile<?> file) {
            name = file.getFileNameOnly();
        }
        if ((name == null || name.isBlank()) && local != null) {
            name = local.getFileName().toString();
        }
        String contentType = fileContentType(message, name);
        if (local != null) {
            return filePart(local, name, contentType);
        }
        Object stream = content instanceof InputStream || content instanceof byte[]
                ? content : message.getMandatoryBody(InputStream.class);
        return filePart(spool(stream, tempFiles), name, contentType);
    }

    private static Path localFile(Object o) {
        if (o instanceof File f) {
            return f.toPath();
        }
        return o instanceof Path p ? p : null;
    }

    /** The Content-Type header if set, else the file consumer's probed type, else a guess from the name. */
    private static String fileContentType(Message message, String name) throws KvConnectInvalidHeaderException {
        String type = HeaderValues.contentType("Content-Type", message.getHeader(Exchange.CONTENT_TYPE, String.class));
        if (type == null) {
            type = HeaderValues.contentType(Exchange.FILE_CONTENT_TYPE,
                    message.getHeader(Exchange.FILE_CONTENT_TYPE, String.class));
        }
        if (type == null && name != null) {
            try {
                // by the name only: the sender's file content is not inspected
                type = Files.probeContentType(Path.of(AttachmentNames.safe(name)));
            } catch (IOException | InvalidPathException e) {
                type = null;
            }
        }
        return type != null ? type : OCTET_STREAM;
    }

    private static EntityPart filePart(Path path, String name, String contentType) throws MessagingException, IOException {
        EntityPart part = new EntityPart();
        part.setDataHandler(new DataHandler(new TypedFileDataSource(path.toFile(), contentType)));
        part.setFileName(MimeUtility.encodeText(AttachmentNames.safe(name), "utf-8", null));
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    /**
     * The MIME parts of the Camel attachments, with their carried headers. Built (and so validated) before the body
     * is read: a bad attachment header fails the exchange before any content is spooled or sent.
     */
    private static List<MimeBodyPart> attachmentParts(Exchange exchange)
            throws MessagingException, IOException, KvConnectInvalidHeaderException {
        AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
        if (am == null || !am.hasAttachments()) {
            return List.of();
        }
        List<MimeBodyPart> parts = new ArrayList<>();
        for (Map.Entry<String, Attachment> a : am.getAttachmentObjects().entrySet()) {
            Map<String, String> headers = AttachmentHeaders.outbound(a.getKey(), a.getValue());
            // the part's Content-Type comes from the data handler: checked here to name the attachment
            HeaderValues.text("Content-Type of attachment '" + AttachmentNames.safe(a.getKey()) + "'",
                    a.getValue().getDataHandler().getContentType());
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(a.getValue().getDataHandler());
            part.setFileName(MimeUtility.encodeText(AttachmentNames.safe(a.getKey()), "utf-8", null));
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            part.setHeader("Content-Transfer-Encoding", "base64");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                part.setHeader(h.getKey(), h.getValue());
            }
            parts.add(part);
        }
        return parts;
    }

    private Path spool(Object body, List<Path> tempFiles) throws IOException {
        Path tmp = TempFiles.create(workDirectory, "out-", ".bin");
        tempFiles.add(tmp);
        if (body instanceof byte[] bytes) {
            Files.write(tmp, bytes);
        } else {
            try (InputStream in = (InputStream) body) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return tmp;
    }

    /** A file data source with an explicit content type. */
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
