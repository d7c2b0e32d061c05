package io.github.camelkvconnect.examples.oneclick.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.examples.oneclick.Begleitdatei;
import io.github.camelkvconnect.examples.oneclick.OneClick;

/**
 * SIMULATOR of a KV's 1-Click receiving office, for tests and the demo run; not part of what a practice deploys. It
 * acts as the KV's KV-Connect account: receives Lieferungen (only those; other messages stay on the server), checks
 * them ({@link LieferungCheck}) and answers each with an Eingangsbestaetigung and a Rueckmeldung that returns the
 * Begleitdatei and a check protocol. A real KV checks the billing itself (decryption, KVDT check module, rules);
 * the simulator only checks the form of the Lieferung.
 */
public final class KvSimulatorRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "kv-simulator";
    private static final String RECEIVED = "KvSimulatorReceived";
    private static final Logger LOG = LoggerFactory.getLogger(KvSimulatorRoutes.class);

    private final String kvAccountUri;
    private final long pollDelayMillis;
    private final Consumer<ReceivedLieferung> listener;

    /**
     * @param kvAccountUri    the KV's {@code kvconnect:} endpoint
     * @param pollDelayMillis how often the KV's account is polled
     * @param listener        is told about every received Lieferung (before it is answered)
     */
    public KvSimulatorRoutes(String kvAccountUri, long pollDelayMillis, Consumer<ReceivedLieferung> listener) {
        this.kvAccountUri = kvAccountUri;
        this.pollDelayMillis = pollDelayMillis;
        this.listener = listener;
    }

    @Override
    public void configure() {
        from(kvAccountUri + (kvAccountUri.contains("?") ? "&" : "?") + "dienstkennungFilter=RAW(" + OneClick.LIEFERUNG_FILTER
             + ")&initialDelay=0&delay=" + pollDelayMillis)
                .routeId(ROUTE_ID)
                .process(e -> {
                    ReceivedLieferung received = LieferungCheck.check(e);
                    e.setProperty(RECEIVED, received);
                    LOG.info("[KV simulator] Lieferung {} from {}: {}", received.messageId(), received.from(),
                            received.accepted() ? "accepted" : "REJECTED " + received.problems());
                    listener.accept(received);
                })
                .process(e -> KvAnswers.eingangsbestaetigung(fresh(e), received(e).from(), received(e).messageId()))
                .to(kvAccountUri)
                .process(e -> {
                    ReceivedLieferung r = received(e);
                    List<String> protocol = protocol(r);
                    KvAnswers.rueckmeldung(fresh(e), r.from(), r.begleitdateiBytes(),
                            String.join("\n", protocol) + "\n", ProtokollPdf.render(protocol));
                })
                .to(kvAccountUri)
                .process(e -> LOG.info("[KV simulator] answered {} with an Eingangsbestaetigung and a Rueckmeldung",
                        received(e).messageId()));
    }

    private static ReceivedLieferung received(Exchange e) {
        return e.getProperty(RECEIVED, ReceivedLieferung.class);
    }

    /** An empty message: nothing of the received Lieferung (headers, attachments) leaks into the answer. */
    private static Message fresh(Exchange e) {
        Message m = new DefaultMessage(e.getContext());
        e.setMessage(m);
        return m;
    }

    private static List<String> protocol(ReceivedLieferung r) {
        List<String> lines = new ArrayList<>();
        lines.add("Pruefprotokoll 1-Click-Abrechnung (KV-Simulator, keine echte Pruefung)");
        lines.add("Lieferung: " + r.messageId());
        Begleitdatei b = r.begleitdatei();
        if (b != null) {
            lines.add("GUID: " + b.guid() + ", Version " + b.version());
            lines.add("BSNR: " + b.bsnr() + ", Quartal " + b.quartal() + (b.testdaten() ? ", Testabrechnung" : ", Echtabrechnung"));
            lines.add("Dateien: " + String.join(", ", b.anhaenge()));
        }
        if (r.accepted()) {
            lines.add("Ergebnis: ANGENOMMEN");
        } else {
            lines.add("Ergebnis: ABGELEHNT");
            r.problems().forEach(p -> lines.add("- " + p));
        }
        return lines;
    }
}
