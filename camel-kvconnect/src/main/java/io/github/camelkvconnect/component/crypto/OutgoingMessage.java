package io.github.camelkvconnect.component.crypto;

import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeBodyPart;

/**
 * A message to send: the business MIME entity (text and attachments, possibly file-backed) plus the routing headers
 * that travel in clear on the transport message.
 *
 * @param businessEntity the MIME entity to sign and encrypt
 * @param routingHeaders header name to value, in order (From, To, Cc, Subject, Date, Message-ID, X-KVC-*, ...)
 * @param sender         the sender's address (it is also encrypted for)
 * @param recipients     all To and Cc addresses
 */
public record OutgoingMessage(MimeBodyPart businessEntity, Map<String, String> routingHeaders, String sender,
                              List<String> recipients) {
}
