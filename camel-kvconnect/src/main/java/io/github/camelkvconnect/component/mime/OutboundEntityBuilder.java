package io.github.camelkvconnect.component.mime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;

import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * Builds the business MIME entity of an outgoing message from the exchange: the body (String, byte[], InputStream,
 * File or a complete MimeMessage) and the Camel attachments. Streams and byte arrays are spooled to temporary files so
 * that the S/MIME layer can read them more than once without holding them in memory; file attachments are read from
 * their files directly.
 */
public final class OutboundEntityBuilder {

    private final Path workDirectory;

    public OutboundEntityBuilder(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /**
     * @param tempFiles receives every temporary file created; the caller deletes them once the message is written
     */
    public MimeBodyPart build(Exchange exchange, java.util.List<Path> tempFiles) throws IOException, MessagingException {
        Object body = exchange.getMessage().getBody();
        EntityPart main;
        if (body instanceof MimeMessage mm) {
            main = new EntityPart();
            main.setDataHandler(mm.getDataHandler());
            main.setHeader("Content-Type", mm.getContentType());
        } else if (body instanceof File || body instanceof Path) {
            Path path = body instanceof File f ? f.toPath() : (Path) body;
            main = filePart(path, path.getFileName().toString());
        } else if (body instanceof byte[] || body instanceof InputStream) {
            Path spooled = spool(exchange, body, tempFiles);
            String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
            main = new EntityPart();
            main.setDataHandler(new DataHandler(new TypedFileDataSource(spooled.toFile(),
                    contentType != null ? contentType : "application/octet-stream")));
            main.setHeader("Content-Transfer-Encoding", "base64");
        } else {
            String text = body == null ? "" : exchange.getMessage().getBody(String.class);
            main = new EntityPart();
            main.setText(text, "utf-8");
            main.setHeader("Content-Transfer-Encoding", "quoted-printable");
        }

        AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
        Map<String, DataHandler> attachments = am != null && am.hasAttachments() ? am.getAttachments() : Map.of();
        if (attachments.isEmpty()) {
            return main.prepared();
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(main);
        for (Map.Entry<String, DataHandler> a : attachments.entrySet()) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(a.getValue());
            part.setFileName(MimeUtility.encodeText(AttachmentNames.safe(a.getKey()), "utf-8", null));
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            part.setHeader("Content-Transfer-Encoding", "base64");
            mixed.addBodyPart(part);
        }
        EntityPart entity = new EntityPart();
        entity.setContent(mixed);
        return entity.prepared();
    }

    private EntityPart filePart(Path path, String name) throws MessagingException, IOException {
        EntityPart part = new EntityPart();
        part.setDataHandler(new DataHandler(new FileDataSource(path.toFile())));
        part.setFileName(MimeUtility.encodeText(AttachmentNames.safe(name), "utf-8", null));
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        part.setHeader("Content-Transfer-Encoding", "base64");
        return part;
    }

    private Path spool(Exchange exchange, Object body, java.util.List<Path> tempFiles) throws IOException {
        Files.createDirectories(workDirectory);
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
