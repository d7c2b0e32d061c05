package io.github.camelkvconnect.examples.oneclick;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What the practice knows about one Lieferung: what was sent, when and under which Message-ID, and which answers
 * came back. Stored as {@code lieferungen/<guid>/status.json}; the flags {@code delivered}, {@code confirmed} and
 * {@code feedback} are what 1-Click asks the practice software to show for every sent Lieferung.
 *
 * @param guid                 the GUID of the Begleitdatei
 * @param version              the version of the Begleitdatei
 * @param file                 the name of the billing file (as sent)
 * @param fileSize             its size in bytes
 * @param fileSha256           its SHA-256, hex
 * @param kvAddress            where it was sent
 * @param preparedAt           when the Begleitdatei was made (ISO-8601)
 * @param messageId            the Message-ID of the sent message; null until it was sent
 * @param sentAt               when the server accepted it
 * @param sendError            why sending failed, if it did
 * @param eingangsbestaetigung the KV's receipt confirmation, once received
 * @param rueckmeldungen       the KV's answers, in the order received (there may be several)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({ "guid", "delivered", "confirmed", "feedback" })
@JsonIgnoreProperties(value = { "delivered", "confirmed", "feedback" }, allowGetters = true)
public record LieferungStatus(String guid, int version, String bsnr, String quartal, boolean testdaten,
                              boolean vollstaendig, String file, long fileSize, String fileSha256, String kvAddress,
                              String preparedAt, String messageId, String sentAt, String sendError,
                              Eingangsbestaetigung eingangsbestaetigung, List<Rueckmeldung> rueckmeldungen) {

    public LieferungStatus {
        rueckmeldungen = rueckmeldungen == null ? List.of() : List.copyOf(rueckmeldungen);
    }

    /** The server accepted the Lieferung. */
    @JsonProperty("delivered")
    public boolean delivered() {
        return messageId != null;
    }

    /** The KV's Eingangsbestaetigung arrived. */
    @JsonProperty("confirmed")
    public boolean confirmed() {
        return eingangsbestaetigung != null;
    }

    /** At least one Rueckmeldung arrived. */
    @JsonProperty("feedback")
    public boolean feedback() {
        return !rueckmeldungen.isEmpty();
    }

    public LieferungStatus sent(String id, String at) {
        return new LieferungStatus(guid, version, bsnr, quartal, testdaten, vollstaendig, file, fileSize, fileSha256,
                kvAddress, preparedAt, id, at, null, eingangsbestaetigung, rueckmeldungen);
    }

    public LieferungStatus sendFailed(String error) {
        return new LieferungStatus(guid, version, bsnr, quartal, testdaten, vollstaendig, file, fileSize, fileSha256,
                kvAddress, preparedAt, messageId, sentAt, error, eingangsbestaetigung, rueckmeldungen);
    }

    public LieferungStatus confirmedBy(Eingangsbestaetigung e) {
        return new LieferungStatus(guid, version, bsnr, quartal, testdaten, vollstaendig, file, fileSize, fileSha256,
                kvAddress, preparedAt, messageId, sentAt, sendError, e, rueckmeldungen);
    }

    /** Adds the Rueckmeldung; one delivered again (same Message-ID) replaces the earlier record. */
    public LieferungStatus answeredBy(Rueckmeldung r) {
        List<Rueckmeldung> all = new ArrayList<>(rueckmeldungen);
        all.removeIf(existing -> existing.messageId().equals(r.messageId()));
        all.add(r);
        return new LieferungStatus(guid, version, bsnr, quartal, testdaten, vollstaendig, file, fileSize, fileSha256,
                kvAddress, preparedAt, messageId, sentAt, sendError, eingangsbestaetigung, all);
    }

    /**
     * The KV's Eingangsbestaetigung (technical receipt: the Lieferung was delivered to the KV).
     *
     * @param matchedBy       {@code In-Reply-To} or {@code Original-Message-ID}: which reference matched
     * @param disposition     the {@code Disposition} field of the report, if any
     * @param signatureStatus the result of the signature check (VALID or why not)
     */
    public record Eingangsbestaetigung(String messageId, String from, String date, String receivedAt, String matchedBy,
                                       String disposition, String signatureStatus) {
    }

    /**
     * A Rueckmeldung of the KV (the result of checking the billing).
     *
     * @param version the version in the returned Begleitdatei
     * @param folder  where its text and attachments were stored, relative to the Lieferung's folder
     * @param files   the stored files
     */
    public record Rueckmeldung(String messageId, String from, String date, String receivedAt, int version,
                               String signatureStatus, String folder, List<String> files) {
    }
}
