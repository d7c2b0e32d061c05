package io.github.camelkvconnect.component.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;

/**
 * A MIME body part that can compute its headers (Content-Type, charset, transfer encoding) for itself and all nested
 * parts before it is written: a body part written on its own, outside a message, otherwise loses the headers that
 * Jakarta Mail only derives when a message is saved.
 */
public final class EntityPart extends MimeBodyPart {

    /** Fills in the derived headers of this part and every nested part; returns this. */
    public EntityPart prepared() throws MessagingException {
        updateHeaders();
        return this;
    }
}
