package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;

/** A data source over a MIME part's decoded content; reads stream from the (file-backed) part on demand. */
final class PartDataSource implements DataSource {

    private final Part part;

    PartDataSource(Part part) {
        this.part = part;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        try {
            return part.getInputStream();
        } catch (MessagingException e) {
            throw new IOException("Cannot read attachment: " + e.getMessage(), e);
        }
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        throw new IOException("Received attachments are read-only");
    }

    @Override
    public String getContentType() {
        try {
            return part.getContentType();
        } catch (MessagingException e) {
            return "application/octet-stream";
        }
    }

    @Override
    public String getName() {
        try {
            return part.getFileName();
        } catch (MessagingException e) {
            return null;
        }
    }
}
