package io.github.camelkvconnect.examples.oneclick;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * An answer from the KV that matches no Lieferung (unknown GUID or Message-ID, no readable Begleitdatei). It is not
 * dropped: its text and attachments are kept in {@code unmatched/<Message-ID>/} with a {@code report.json}, and a
 * warning names what the user needs to ask the KV (1-Click: sender, date, Message-ID and, if readable, the GUID).
 * After that the exchange completes and the component removes the message from the server: the local copy is the
 * record. (Failing the exchange instead would keep it on the server, but it would come back on every poll and never
 * match.)
 */
final class UnmatchedAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(UnmatchedAnswers.class);
    static final String REPORT_FILE = "report.json";

    private final Path root;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** @param root the {@code unmatched/} folder */
    UnmatchedAnswers(Path root) {
        this.root = root;
    }

    /**
     * @param kind   what the answer is (Eingangsbestaetigung, Rueckmeldung)
     * @param reason why it matches no Lieferung
     * @param guid   the GUID of its Begleitdatei if readable, else null
     */
    Path report(Exchange exchange, String kind, String reason, String guid) throws IOException {
        Message m = exchange.getMessage();
        String messageId = m.getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        String from = m.getHeader(KvConnectConstants.FROM, String.class);
        String date = m.getHeader(KvConnectConstants.DATE, String.class);
        Path folder = root.resolve(MessageIds.folderName(messageId));
        List<String> files = AttachmentFiles.save(exchange, folder);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("kind", kind);
        report.put("reason", reason);
        report.put("action", "This " + kind + " cannot be matched to a sent Lieferung. Ask the KV, quoting the sender,"
                             + " date, Message-ID and GUID below.");
        report.put("from", from);
        report.put("date", date);
        report.put("messageId", messageId);
        report.put("guid", guid);
        report.put("subject", m.getHeader(KvConnectConstants.SUBJECT, String.class));
        report.put("dienstkennung", m.getHeader(KvConnectConstants.DIENSTKENNUNG, String.class));
        report.put("inReplyTo", m.getHeader(KvConnectConstants.IN_REPLY_TO, String.class));
        report.put("signatureStatus", m.getHeader(KvConnectConstants.SIGNATURE_STATUS, String.class));
        report.put("receivedAt", Instant.now().toString());
        report.put("files", files);
        Path tmp = Files.createTempFile(folder, ".report-", ".tmp");
        try {
            json.writeValue(tmp.toFile(), report);
            CorrelationStore.moveOver(tmp, folder.resolve(REPORT_FILE));
        } finally {
            Files.deleteIfExists(tmp);
        }
        LOG.warn("UNMATCHED 1-Click {} ({}): from {}, date {}, Message-ID {}, GUID {}; kept in {}. Ask the KV.",
                kind, reason, from, date, messageId, guid == null ? "-" : guid, folder);
        return folder;
    }
}
