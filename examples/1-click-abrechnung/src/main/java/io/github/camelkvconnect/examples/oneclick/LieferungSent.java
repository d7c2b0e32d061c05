package io.github.camelkvconnect.examples.oneclick;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * After the server accepted the Lieferung: records its Message-ID (the key for the Eingangsbestaetigung) and moves
 * the options file into the Lieferung's folder. The file consumer then moves the billing file there as well.
 */
final class LieferungSent implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(LieferungSent.class);

    private final PracticeSettings settings;
    private final CorrelationStore store;

    LieferungSent(PracticeSettings settings, CorrelationStore store) {
        this.settings = settings;
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String guid = exchange.getProperty(LieferungBuilder.GUID_PROPERTY, String.class);
        String messageId = exchange.getMessage().getHeader(KvConnectConstants.MESSAGE_ID, String.class);
        LieferungStatus status = store.update(guid, s -> s.sent(messageId, Instant.now().toString()));
        Path options = LieferungOptions.fileFor(settings.outbox().resolve(status.file()));
        if (Files.isRegularFile(options)) {
            CorrelationStore.moveOver(options, store.folder(guid).resolve("lieferung.properties"));
        }
        LOG.info("Lieferung {} ({}, quarter {}, {}) sent to {} as {}", guid, status.file(), status.quartal(),
                status.testdaten() ? "test billing" : "REAL billing", status.kvAddress(), messageId);
    }
}
