package io.github.camelkvconnect.examples.oneclick;

import java.time.Instant;
import java.util.Optional;

import jakarta.mail.Part;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Matches the KV's Eingangsbestaetigung to the Lieferung by the Message-ID it answers: its {@code In-Reply-To}
 * header, or else the {@code Original-Message-ID} of its disposition notification, and marks the Lieferung as
 * confirmed.
 */
final class EingangsbestaetigungHandler implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(EingangsbestaetigungHandler.class);

    private final CorrelationStore store;
    private final UnmatchedAnswers unmatched;

    EingangsbestaetigungHandler(CorrelationStore store, UnmatchedAnswers unmatched) {
        this.store = store;
        this.unmatched = unmatched;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message m = exchange.getMessage();
        String inReplyTo = m.getHeader(KvConnectConstants.IN_REPLY_TO, String.class);
        DispositionNotification notification = m.getBody() instanceof Part entity ? DispositionNotification.find(entity) : null;
        String original = notification != null ? notification.originalMessageId() : null;

        String matchedBy = "In-Reply-To";
        Optional<LieferungStatus> lieferung = store.byMessageId(inReplyTo);
        if (lieferung.isEmpty()) {
            matchedBy = "Original-Message-ID";
            lieferung = store.byMessageId(original);
        }
        if (lieferung.isEmpty()) {
            unmatched.report(exchange, "Eingangsbestaetigung", "no Lieferung was sent with Message-ID "
                             + (inReplyTo != null ? inReplyTo : original), null);
            return;
        }
        LieferungStatus status = lieferung.get();
        String from = m.getHeader(KvConnectConstants.FROM, String.class);
        warnIfNotFromKv(status, from, "Eingangsbestaetigung");
        LieferungStatus.Eingangsbestaetigung receipt = new LieferungStatus.Eingangsbestaetigung(
                m.getHeader(KvConnectConstants.MESSAGE_ID, String.class), from,
                m.getHeader(KvConnectConstants.DATE, String.class), Instant.now().toString(), matchedBy,
                notification != null ? notification.disposition() : null,
                m.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class));
        store.update(status.guid(), s -> s.confirmedBy(receipt));
        LOG.info("Eingangsbestaetigung from {} for Lieferung {} ({}, Message-ID {}), matched by {}; signature {}",
                from, status.guid(), status.file(), status.messageId(), matchedBy, receipt.signatureStatus());
    }

    static void warnIfNotFromKv(LieferungStatus status, String from, String kind) {
        if (from == null || !from.strip().equalsIgnoreCase(status.kvAddress())) {
            LOG.warn("{} for Lieferung {} comes from {}, not from {} where it was sent; recorded, but check it",
                    kind, status.guid(), from, status.kvAddress());
        }
    }
}
