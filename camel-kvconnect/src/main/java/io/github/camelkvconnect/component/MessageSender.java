package io.github.camelkvconnect.component;

import java.io.IOException;
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
import java.util.function.Consumer;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeUtility;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.crypto.OutgoingMessage;
import io.github.camelkvconnect.component.mime.TempFiles;
import io.github.camelkvconnect.component.rest.MailHeader;
import io.github.camelkvconnect.component.state.SendLedger;

/**
 * Sends one KV-Connect message: checks that every recipient has a certificate (failing with all missing addresses,
 * before anything is built) and that the own keystore opens, signs and encrypts into a temporary file and posts it ({@code POST mails}).
 * With an idempotency key the Message-ID is fixed in the account's send ledger before the POST, so retries are safe.
 */
final class MessageSender {

    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

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

    /**
     * Sends without the send ledger and answers the Message-ID the message was sent under. A server answer that it
     * already has the Message-ID counts as success (see {@link #send(Request, String, Consumer)}).
     *
     * @throws KvConnectSendException if the POST failed or its outcome is unknown; it names the Message-ID
     */
    String send(Request request) throws Exception {
        return send(request, null, id -> {
        });
    }

    /**
     * Sends once per idempotency key and answers the Message-ID the message was sent under.
     * <p>
     * With a key, the Message-ID is fixed in the send ledger before the POST: a key already recorded keeps its
     * Message-ID (a retry after a crash or a lost answer), a key recorded as sent is not posted again. A server answer
     * that it already has the Message-ID (an earlier attempt got through) counts as success.
     *
     * @param idempotencyKey the ledger key, or null to send without the ledger
     * @param beforePost     gets the Message-ID before anything is posted (the producer sets the exchange header)
     * @throws KvConnectSendException if the POST failed or its outcome is unknown; it names the Message-ID
     */
    String send(Request request, String idempotencyKey, Consumer<String> beforePost) throws Exception {
        String sender = endpoint.getAddress();
        String messageId = request.messageId() != null ? request.messageId() : SendIdentity.randomMessageId(sender);
        SendLedger ledger = null;
        if (idempotencyKey != null) {
            ledger = endpoint.sendLedger();
            SendLedger.Entry recorded = ledger.find(idempotencyKey).orElse(null);
            if (recorded != null && recorded.state() == SendLedger.State.SENT) {
                beforePost.accept(recorded.messageId());
                LOG.info("KV-Connect message {} (idempotency key {}) was sent before; not sent again",
                        recorded.messageId(), MailHeader.display(idempotencyKey));
                return recorded.messageId();
            }
        }
        List<String> recipients = new ArrayList<>(new LinkedHashSet<>(concat(request.to(), request.cc())));
        requireCertificates(recipients);
        if (ledger != null) {
            // durable before the POST: whatever happens from here on, a retry posts this Message-ID again
            messageId = ledger.recordPending(idempotencyKey, messageId).messageId();
        }
        beforePost.accept(messageId);

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
            boolean acceptedNow;
            try {
                acceptedNow = endpoint.restClient().sendMail(out);
            } catch (IOException e) {
                throw new KvConnectSendException(messageId, idempotencyKey, e);
            }
            if (!acceptedNow) {
                LOG.info("The KV-Connect server already had message {}: an earlier attempt was accepted; counted as sent",
                        messageId);
            }
            if (ledger != null) {
                recordSent(ledger, idempotencyKey, messageId);
            }
            endpoint.getStatistics().incSent();
            return messageId;
        } finally {
            TempFiles.deleteQuietly(out);
        }
    }

    /**
     * The message is on the server; a ledger that cannot record that must not fail the exchange (a retry would only
     * get the server's duplicate answer), so it is logged.
     */
    private static void recordSent(SendLedger ledger, String key, String messageId) {
        try {
            ledger.recordSent(key, messageId);
        } catch (IOException | RuntimeException e) {
            LOG.warn("KV-Connect message {} was sent, but the send ledger {} cannot record it ({}); a retry of the same "
                     + "key posts it again and gets the server's duplicate answer", messageId, ledger.getFile(),
                    e.getMessage());
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
