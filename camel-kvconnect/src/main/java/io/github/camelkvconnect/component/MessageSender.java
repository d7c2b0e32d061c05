package io.github.camelkvconnect.component;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeUtility;

import io.github.camelkvconnect.component.crypto.OutgoingMessage;
import io.github.camelkvconnect.component.mime.TempFiles;

/**
 * Sends one KV-Connect message: checks that every recipient has a certificate (failing with all missing addresses,
 * before anything is built) and that the own keystore opens, signs and encrypts into a temporary file and posts it ({@code POST mails}).
 */
final class MessageSender {

    private final KvConnectEndpoint endpoint;

    MessageSender(KvConnectEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * What to send; header values must already be validated.
     *
     * @param messageId the Message-ID to send under (angle brackets included), or null for a fresh random one
     */
    record Request(String messageId, List<String> to, List<String> cc, String subject, String dienstkennung,
                   String sendersystem, String inReplyTo, String dispositionNotificationTo, MimeBodyPart entity) {
    }

    /** Sends and answers the Message-ID the message was sent under. */
    String send(Request request) throws Exception {
        List<String> recipients = new ArrayList<>(new LinkedHashSet<>(concat(request.to(), request.cc())));
        requireCertificates(recipients);

        String sender = endpoint.getAddress();
        String domain = sender.substring(sender.indexOf('@') + 1);
        String messageId = request.messageId() != null ? request.messageId() : "<" + UUID.randomUUID() + "@" + domain + ">";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("From", sender);
        headers.put("To", String.join(", ", request.to()));
        if (!request.cc().isEmpty()) {
            headers.put("Cc", String.join(", ", request.cc()));
        }
        headers.put("Subject", request.subject() == null ? "" : MimeUtility.encodeText(request.subject(), "utf-8", "Q"));
        headers.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(endpoint.clock())));
        headers.put("Message-ID", messageId);
        if (request.inReplyTo() != null) {
            headers.put("In-Reply-To", request.inReplyTo());
        }
        if (request.dispositionNotificationTo() != null) {
            headers.put("Disposition-Notification-To", request.dispositionNotificationTo());
        }
        if (request.dienstkennung() != null) {
            headers.put("X-KVC-Dienstkennung", request.dienstkennung());
        }
        headers.put("X-KVC-Sendersystem", request.sendersystem());
        headers.put("MIME-Version", "1.0");

        Path out = TempFiles.create(endpoint.sendWorkDirectory(), "send-", ".eml");
        try {
            try (OutputStream os = Files.newOutputStream(out)) {
                endpoint.crypto().signAndEncrypt(new OutgoingMessage(request.entity(), headers, sender, recipients), os);
            }
            endpoint.restClient().sendMail(out);
            endpoint.getStatistics().incSent();
            return messageId;
        } finally {
            TempFiles.deleteQuietly(out);
        }
    }

    /** Every recipient and the sender need a certificate; all missing addresses are reported together. */
    private void requireCertificates(List<String> recipients) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String r : recipients) {
            Optional<X509Certificate> cert = endpoint.certificateCache().find(r);
            if (cert.isEmpty()) {
                missing.add(r);
            }
        }
        if (endpoint.credentials().exists()) {
            // a keystore that does not open (wrong PIN, no key) is not a missing certificate: say what is wrong with it
            endpoint.credentials().get();
        } else {
            missing.add(endpoint.getAddress() + " (own keystore " + endpoint.getConfiguration().getKeystoreFile() + ")");
        }
        if (!missing.isEmpty()) {
            throw new KvConnectMissingCertificateException(missing, null);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
