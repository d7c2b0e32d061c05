package io.github.camelkvconnect.examples.inbox;

import java.util.Objects;

import javax.sql.DataSource;

import org.apache.camel.builder.RouteBuilder;

/**
 * The route of the example: every message received by a {@code kvconnect} consumer is stored in the database by
 * {@link InboxStore}. The consumer deletes a message on the server only after its exchange completed, i.e. after the
 * database transaction committed; a database failure fails the exchange and the message stays on the server.
 */
public class InboxToDatabaseRoute extends RouteBuilder {

    /** The route id. */
    public static final String ROUTE_ID = "kvconnect-inbox-to-database";

    private final String kvconnectUri;
    private final InboxStore store;

    /**
     * @param kvconnectUri the consumer endpoint, e.g. {@code kvconnect:praxis@kv-safenet.de?serverUrl=...}
     * @param dataSource   the database
     * @param account      the KV-Connect address of the account (part of the idempotency key)
     */
    public InboxToDatabaseRoute(String kvconnectUri, DataSource dataSource, String account) {
        this.kvconnectUri = Objects.requireNonNull(kvconnectUri, "kvconnectUri");
        this.store = new InboxStore(dataSource, account);
    }

    @Override
    public void configure() {
        from(kvconnectUri).routeId(ROUTE_ID)
                .process(store)
                .log("Message ${header.CamelKvConnectMessageId} from ${header.CamelKvConnectFrom}"
                     + " (${header.CamelKvConnectDienstkennung}) stored, duplicate=${header.KvConnectInboxDuplicate}");
    }
}
