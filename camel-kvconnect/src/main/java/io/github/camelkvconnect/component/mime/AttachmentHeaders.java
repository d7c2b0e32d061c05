package io.github.camelkvconnect.component.mime;

import java.io.UnsupportedEncodingException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.mail.internet.MimeUtility;

import org.apache.camel.attachment.Attachment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectInvalidHeaderException;

/**
 * Decides which headers of a Camel attachment travel with its MIME part. Only descriptive headers are carried:
 * {@code Content-Description} (eArztbrief parts are told apart by it, e.g. {@code eAB-PDF-unsigned}) and a
 * {@code Content-ID} that is a syntactically valid msg-id. Structural headers (Content-Type, Content-Disposition,
 * Content-Transfer-Encoding) are derived from the data handler and the name, never copied, so an attachment cannot
 * change the MIME structure of the message.
 */
final class AttachmentHeaders {

    private static final Logger LOG = LoggerFactory.getLogger(AttachmentHeaders.class);

    static final String CONTENT_DESCRIPTION = "Content-Description";
    static final String CONTENT_ID = "Content-ID";

    private AttachmentHeaders() {
    }

    /**
     * The headers to set on the MIME part of one attachment, encoded for the wire.
     *
     * @throws KvConnectInvalidHeaderException if a carried header holds a line break or control character
     */
    static Map<String, String> outbound(String attachmentName, Attachment attachment) throws KvConnectInvalidHeaderException {
        Map<String, String> headers = new LinkedHashMap<>();
        String where = " of attachment '" + AttachmentNames.safe(attachmentName) + "'";
        String description = HeaderValues.text(CONTENT_DESCRIPTION + where, attachment.getHeader(CONTENT_DESCRIPTION));
        if (description != null) {
            try {
                // RFC 2047 only for non-ASCII text; plain values such as eAB-PDF-unsigned stay as they are
                headers.put(CONTENT_DESCRIPTION, MimeUtility.fold(CONTENT_DESCRIPTION.length() + 2,
                        MimeUtility.encodeText(description, "utf-8", null)));
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 is always supported", e);
            }
        }
        String contentId = HeaderValues.text(CONTENT_ID + where, attachment.getHeader(CONTENT_ID));
        if (contentId != null) {
            String id = HeaderValues.strictMsgId(contentId);
            // anything else is not a reference another part could use; it is left out rather than sent malformed
            if (id != null) {
                headers.put(CONTENT_ID, id);
            } else {
                LOG.debug("Content-ID{} is not a valid msg-id (<id@host>); the part is sent without it", where);
            }
        }
        return headers;
    }
}
