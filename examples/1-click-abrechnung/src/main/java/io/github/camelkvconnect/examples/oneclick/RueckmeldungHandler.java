package io.github.camelkvconnect.examples.oneclick;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.activation.DataHandler;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Matches a Rueckmeldung of the KV to the Lieferung by the GUID in the Begleitdatei the KV returns with it, stores
 * its text and attachments (e.g. the check protocol as PDF) in the Lieferung's folder under
 * {@code rueckmeldung-<Message-ID>/} and records it in the status.
 */
final class RueckmeldungHandler implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RueckmeldungHandler.class);

    private final CorrelationStore store;
    private final UnmatchedAnswers unmatched;

    RueckmeldungHandler(CorrelationStore store, UnmatchedAnswers unmatched) {
        this.store = store;
        this.unmatched = unmatched;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DataHandler begleitdatei = AttachmentFiles.find(exchange, OneClick.BEGLEITDATEI);
        if (begleitdatei == null) {
            unmatched.report(exchange, "Rueckmeldung", "it carries no " + OneClick.BEGLEITDATEI, null);
            return;
        }
        Map<String, List<String>> values;
        try (InputStream in = begleitdatei.getInputStream()) {
            values = Begleitdatei.readValues(in);
        } catch (BegleitdateiException e) {
            unmatched.report(exchange, "Rueckmeldung", e.getMessage(), null);
            return;
        }
        String guid = first(values, "guid");
        if (!Begleitdatei.isGuid(guid)) {
            unmatched.report(exchange, "Rueckmeldung", "its Begleitdatei has no valid GUID", null);
            return;
        }
        Optional<LieferungStatus> lieferung = store.byGuid(guid);
        if (lieferung.isEmpty()) {
            unmatched.report(exchange, "Rueckmeldung", "no Lieferung was sent with GUID " + guid, guid);
            return;
        }
        LieferungStatus status = lieferung.get();
        Message m = exchange.getMessage();
        String messageId = m.getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        String from = m.getHeader(KvConnectConstants.FROM, String.class);
        EingangsbestaetigungHandler.warnIfNotFromKv(status, from, "Rueckmeldung");

        String folderName = "rueckmeldung-" + MessageIds.folderName(messageId);
        Path folder = store.folder(guid).resolve(folderName);
        List<String> files = AttachmentFiles.save(exchange, folder);
        LieferungStatus.Rueckmeldung answer = new LieferungStatus.Rueckmeldung(messageId, from,
                m.getHeader(KvConnectConstants.DATE, String.class), Instant.now().toString(), version(values),
                m.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class), folderName, files);
        store.update(guid, s -> s.answeredBy(answer));
        LOG.info("Rueckmeldung from {} for Lieferung {} ({}): {} stored in {}", from, guid, status.file(), files, folder);
    }

    private static String first(Map<String, List<String>> values, String element) {
        List<String> list = values.get(element);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    private static int version(Map<String, List<String>> values) {
        try {
            return Integer.parseInt(first(values, "version"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
