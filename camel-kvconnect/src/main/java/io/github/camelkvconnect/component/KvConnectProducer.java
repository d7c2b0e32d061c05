package io.github.camelkvconnect.component;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.mail.internet.MimeBodyPart;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.directory.DirectorySearch;
import io.github.camelkvconnect.component.mime.HeaderValues;
import io.github.camelkvconnect.component.mime.OutboundEntityBuilder;
import io.github.camelkvconnect.component.mime.TempFiles;
import io.github.camelkvconnect.component.rest.CertificateInfo;
import io.github.camelkvconnect.component.rest.MailHeader;
import io.github.camelkvconnect.component.state.SendLedger;

/**
 * Sends KV-Connect messages and performs the other account operations ({@link KvConnectOperation}).
 */
public class KvConnectProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(KvConnectProducer.class);

    private final MessageSender sender;

    public KvConnectProducer(KvConnectEndpoint endpoint) {
        super(endpoint);
        this.sender = new MessageSender(endpoint);
    }

    @Override
    public KvConnectEndpoint getEndpoint() {
        return (KvConnectEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        if (getEndpoint().revocationLists().isConfigured()) {
            // Recipients' certificates are checked against the CRLs before encrypting (a revoked key must not be
            // encrypted to); a missing or broken CRL file fails the start like the consumer's, naming the file.
            getEndpoint().revocationLists().load();
        }
        super.doStart();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        KvConnectOperation operation = exchange.getMessage().getHeader(KvConnectConstants.OPERATION, KvConnectOperation.class);
        if (operation == null) {
            operation = getEndpoint().getConfiguration().getOperation();
        }
        switch (operation) {
            case send -> send(exchange);
            case searchDirectory -> exchange.getMessage().setBody(new DirectorySearch(getEndpoint().getConfiguration())
                    .search(exchange.getMessage().getHeader(KvConnectConstants.SEARCH_NAME, String.class),
                            exchange.getMessage().getHeader(KvConnectConstants.SEARCH_CITY, String.class),
                            exchange.getMessage().getHeader(KvConnectConstants.SEARCH_MAIL, String.class)));
            case getCertificate -> getCertificate(exchange);
            case requestCertificate -> new CertificateRequester(getEndpoint()).request(exchange);
            case changePassword -> changePassword(exchange);
            case serverVersion -> exchange.getMessage().setBody(getEndpoint().restClient().serverVersion());
            default -> throw new IllegalArgumentException("Unsupported operation " + operation);
        }
    }

    private void send(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        KvConnectConfiguration c = getEndpoint().getConfiguration();
        // Validate every header before anything is built or sent.
        List<String> to = HeaderValues.addresses("To", m.getHeader(KvConnectConstants.TO, String.class), true);
        List<String> cc = HeaderValues.addresses("Cc", m.getHeader(KvConnectConstants.CC, String.class), false);
        String subject = HeaderValues.text("Subject", m.getHeader(KvConnectConstants.SUBJECT, String.class));
        String dienstkennung = HeaderValues.text("X-KVC-Dienstkennung",
                m.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class));
        String sendersystem = HeaderValues.text("X-KVC-Sendersystem",
                m.getHeader(KvConnectConstants.SENDERSYSTEM, c.getSendersystem(), String.class));
        // usually a received message's Message-ID: checked by the lenient rule for ids other systems chose
        String inReplyTo = HeaderValues.messageIdReference("In-Reply-To",
                m.getHeader(KvConnectConstants.IN_REPLY_TO, String.class));
        String dnt = m.getHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO, String.class);
        if (dnt != null && !dnt.isBlank()) {
            dnt = HeaderValues.address("Disposition-Notification-To", dnt.strip());
        } else {
            dnt = null;
        }

        List<String> recipients = new ArrayList<>(to);
        recipients.addAll(cc);
        // fixed before anything is built or posted, so that a retry (crash, timeout, lost answer) sends the same message
        SendIdentity identity = SendIdentity.of(exchange, getEndpoint().getAddress(), recipients);
        if (identity.idempotencyKey() != null) {
            Optional<SendLedger.Entry> recorded = getEndpoint().sendLedger().find(identity.idempotencyKey());
            if (recorded.isPresent() && recorded.get().state() == SendLedger.State.SENT) {
                // sent before (e.g. the file was not moved away because the process died after the POST): done
                m.setHeader(KvConnectConstants.MESSAGE_ID, recorded.get().messageId());
                LOG.info("KV-Connect message {} (idempotency key {}) was sent before; not sent again",
                        recorded.get().messageId(), MailHeader.display(identity.idempotencyKey()));
                return;
            }
        }

        List<Path> tempFiles = new ArrayList<>();
        try {
            MimeBodyPart entity = new OutboundEntityBuilder(getEndpoint().sendWorkDirectory()).build(exchange, tempFiles);
            String messageId = sender.send(new MessageSender.Request(identity.messageId(), to, cc, subject, dienstkennung,
                    sendersystem, inReplyTo, dnt, entity), identity.idempotencyKey(),
                    id -> m.setHeader(KvConnectConstants.MESSAGE_ID, id));
            m.setHeader(KvConnectConstants.MESSAGE_ID, messageId);
        } finally {
            tempFiles.forEach(TempFiles::deleteQuietly);
        }
    }

    private void getCertificate(Exchange exchange) throws Exception {
        String address = exchange.getMessage().getHeader(KvConnectConstants.CERTIFICATE_ADDRESS, String.class);
        address = address == null ? getEndpoint().getAddress() : HeaderValues.address("certificate address", address.strip());
        Optional<CertificateInfo> info = getEndpoint().restClient().certificateByEmail(address);
        exchange.getMessage().setBody(info.map(CertificateInfo::certificate).orElse(null));
    }

    private void changePassword(Exchange exchange) throws Exception {
        try {
            String newPassword = exchange.getMessage().getBody(String.class);
            if (newPassword == null || newPassword.isBlank()) {
                throw new IllegalArgumentException("changePassword needs the new password as message body");
            }
            getEndpoint().restClient().changePassword(getEndpoint().accountUid(), newPassword.toCharArray());
        } finally {
            // Never leave the password in the exchange, above all not when it failed: a failed exchange is logged,
            // dead-lettered or stored with its body.
            exchange.getMessage().setBody(null);
        }
    }

}
