package io.github.camelkvconnect.examples.oneclick;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * The two routes of the practice.
 * <ul>
 * <li>{@value #SEND_ROUTE_ID}: a billing file ({@code *.con.xkm}) in {@code outbox/} becomes a Lieferung to the KV
 * ({@link LieferungBuilder}); once sent, its Message-ID is recorded and the file moves to
 * {@code lieferungen/<guid>/}. A file that cannot be sent moves to {@code failed/<time>/} with {@code error.txt}.</li>
 * <li>{@value #ANSWERS_ROUTE_ID}: the account is polled for the two 1-Click answers only (other messages stay on the
 * server for other routes); an Eingangsbestaetigung is matched by Message-ID, a Rueckmeldung by GUID, and the status
 * of the Lieferung is updated. An answer that matches nothing is kept in {@code unmatched/} and reported.</li>
 * </ul>
 * The KV-Connect account is configured outside (e.g. a {@code KvConnectConfiguration} bean referred to by
 * {@code configuration=#name} in the account URI).
 */
public final class PracticeRoutes extends RouteBuilder {

    public static final String SEND_ROUTE_ID = "oneclick-send-lieferung";
    public static final String ANSWERS_ROUTE_ID = "oneclick-receive-answers";

    private final PracticeSettings settings;
    private final String accountUri;

    /**
     * @param settings   the practice's folders, BSNR and KV address
     * @param accountUri the practice's {@code kvconnect:} endpoint, e.g.
     *                   {@code kvconnect:praxis.mueller@kv-safenet.de?configuration=#praxis}
     */
    public PracticeRoutes(PracticeSettings settings, String accountUri) {
        this.settings = settings;
        this.accountUri = accountUri;
    }

    @Override
    public void configure() {
        CorrelationStore store = new CorrelationStore(settings.lieferungen());
        UnmatchedAnswers unmatched = new UnmatchedAnswers(settings.unmatched());
        // Failures get one clear log line each (the onException blocks) instead of a stack trace.
        errorHandler(defaultErrorHandler().logExhausted(false));

        // readLock=changed: a file still being written by the practice software is taken only once it stopped
        // changing. The include pattern matches the whole name: KVDT names contain dots in the date
        // (Z01123456699_24.03.2021_10.25.con.xkm), so an extension filter would not work.
        from("file:" + settings.outbox() + "?include=RAW((?i).+\\.con\\.xkm)"
             + "&readLock=changed&readLockCheckInterval=" + settings.outboxCheckMillis()
             + "&readLockTimeout=" + Math.max(10_000, settings.outboxCheckMillis() * 10)
             + "&move=../lieferungen/${exchangeProperty." + LieferungBuilder.GUID_PROPERTY + "}/${file:name}"
             + "&moveFailed=../failed/${exchangeProperty." + SendFailure.FOLDER_PROPERTY + "}/${file:name}")
                .routeId(SEND_ROUTE_ID)
                // Not handled: the exchange stays failed, which makes the file consumer move the file to failed/.
                .onException(Exception.class).process(new SendFailure(settings, store)).end()
                // The builder turns the file into a MimeMessage, so the producer cannot derive the key from the
                // file itself: name, size and time identify it, and a retry after a crash sends the same Message-ID.
                .setHeader(KvConnectConstants.IDEMPOTENCY_KEY, simple("${file:name}-${file:length}-${file:modified}"))
                .process(new LieferungBuilder(settings, store))
                .to(accountUri)
                .process(new LieferungSent(settings, store));

        from(withOptions(accountUri, "dienstkennungFilter=RAW(" + OneClick.ANSWERS_FILTER + ")&initialDelay=0&delay="
                                     + settings.pollDelayMillis()))
                .routeId(ANSWERS_ROUTE_ID)
                // Not handled: the component keeps the message on the server and delivers it again later.
                .onException(Exception.class)
                    .log(LoggingLevel.WARN, "Answer ${header.CamelKvConnectMessageId} from"
                         + " ${header.CamelKvConnectFrom} could not be processed (${exception.message}); it stays on"
                         + " the server and is tried again")
                .end()
                .choice()
                    .when(dienstkennung(OneClick::isEingangsbestaetigung))
                        .process(new EingangsbestaetigungHandler(store, unmatched))
                    .when(dienstkennung(OneClick::isRueckmeldung))
                        .process(new RueckmeldungHandler(store, unmatched))
                    .otherwise()
                        .process(e -> unmatched.report(e, "message", "unexpected Dienstkennung "
                                + e.getMessage().getHeader(KvConnectConstants.DIENSTKENNUNG), null))
                .end();
    }

    private static Predicate dienstkennung(java.util.function.Predicate<String> test) {
        return (Exchange e) -> test.test(e.getMessage().getHeader(KvConnectConstants.DIENSTKENNUNG, String.class));
    }

    /** Appends endpoint options to a URI that may or may not have a query already. */
    static String withOptions(String uri, String options) {
        return uri + (uri.contains("?") ? "&" : "?") + options;
    }
}
