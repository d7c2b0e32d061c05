package io.github.camelkvconnect.examples.demo;

import java.nio.file.Path;

/**
 * One practice (one KV-Connect account) of the demo and its folders under the data directory:
 * <pre>
 * &lt;data-dir&gt;/&lt;username&gt;/
 *   outbox/      drop files here: each becomes an eArztbrief to the other practice
 *   sent/        files sent successfully (moved here from outbox/)
 *   failed/      files that could not be sent (moved here; fix the cause and move them back)
 *   inbox/       one folder per received message: body, attachments, metadata.json
 *   receipts/    one JSON file per received Eingangsbestaetigung (MDN)
 *   keystore.p12 the practice's key and certificate, protected by the PIN
 *   state/       the component's local state (delivered-message record, failure ledger)
 * </pre>
 *
 * @param id       "a" or "b", the suffix of its property keys
 * @param address  the KV-Connect address, e.g. praxis.mueller@kv-safenet.de
 * @param username the login, the local part of the address
 * @param password the account password (demo-only values in application.properties)
 * @param pin      the PIN protecting the keystore
 * @param home     the practice's folder
 */
record Practice(String id, String address, String username, String password, String pin, Path home) {

    Path outbox() {
        return home.resolve("outbox");
    }

    Path sent() {
        return home.resolve("sent");
    }

    Path failed() {
        return home.resolve("failed");
    }

    Path inbox() {
        return home.resolve("inbox");
    }

    Path receipts() {
        return home.resolve("receipts");
    }

    Path keystore() {
        return home.resolve("keystore.p12");
    }

    Path state() {
        return home.resolve("state");
    }

    /** The registry name of this practice's {@code KvConnectConfiguration}. */
    String configurationBean() {
        return "kvconnect-" + id;
    }

    /** Never shows the password or PIN. */
    @Override
    public String toString() {
        return address;
    }
}
