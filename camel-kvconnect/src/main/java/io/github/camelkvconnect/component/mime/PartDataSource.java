package io.github.camelkvconnect.component.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;

import org.apache.camel.Message;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * A data source over a MIME part's decoded content; reads stream from the (file-backed) part on demand, as long as the
 * decrypted content has not been released (it is when the message's exchange completes).
 */
final class PartDataSource implements DataSource {

    private final Part part;
    private final BooleanSupplier released;
    private final Message message;
    private final String name;

    /**
     * @param message the exchange message the attachment belongs to (named in errors by its Message-ID header)
     * @param name    the sanitised attachment name ({@link AttachmentNames}); the sender's file name is untrusted
     */
    PartDataSource(Part part, BooleanSupplier released, Message message, String name) {
        this.part = part;
        this.released = released;
        this.message = message;
        this.name = name;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        if (released.getAsBoolean()) {
            throw new IOException("The decrypted content of KV-Connect message "
                                  + message.getHeader(KvConnectConstants.MESSAGE_ID, String.class) + " was closed and deleted when "
                                  + "its exchange completed: read or store attachments within the route, not afterwards");
        }
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

    /** The sanitised name, the same as the attachment's: downstream code often uses it as a file name. */
    @Override
    public String getName() {
        return name;
    }
}
