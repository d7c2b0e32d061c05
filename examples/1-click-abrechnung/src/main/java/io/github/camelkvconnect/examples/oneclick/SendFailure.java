package io.github.camelkvconnect.examples.oneclick;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file that could not be sent: the reason goes into {@code failed/<time>/error.txt} (and into the Lieferung's
 * status if it got that far), the options file is moved along, and the file consumer moves the billing file into
 * the same folder ({@code moveFailed}). The exchange stays failed: nothing is sent, nothing is lost. To retry, fix the
 * cause and move the file back into the outbox (it becomes a new Lieferung with a new GUID).
 */
final class SendFailure implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SendFailure.class);
    /** Exchange property: the folder below {@code failed/} for this file. */
    static final String FOLDER_PROPERTY = "OneClickFailedFolder";
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final PracticeSettings settings;
    private final CorrelationStore store;

    SendFailure(PracticeSettings settings, CorrelationStore store) {
        this.settings = settings;
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        String fileName = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String folderName = LocalDateTime.now().format(FOLDER) + "-" + exchange.getExchangeId().replaceAll("[^A-Za-z0-9-]", "");
        exchange.setProperty(FOLDER_PROPERTY, folderName);
        Path folder = Files.createDirectories(settings.failed().resolve(folderName));

        String guid = exchange.getProperty(LieferungBuilder.GUID_PROPERTY, String.class);
        if (guid != null) {
            try {
                store.update(guid, s -> s.sendFailed(reason));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot record the failure in the status of Lieferung {}: {}", guid, e.getMessage());
            }
        }
        Files.writeString(folder.resolve("error.txt"), "File: " + fileName + "\nGUID: " + (guid == null ? "-" : guid)
                + "\nNot sent: " + reason + "\n\nFix the cause and move the file (and its .properties file) back into "
                + settings.outbox() + "\n", StandardCharsets.UTF_8);
        if (fileName != null) {
            Path options = LieferungOptions.fileFor(settings.outbox().resolve(fileName));
            if (Files.isRegularFile(options)) {
                CorrelationStore.moveOver(options, folder.resolve(options.getFileName()));
            }
        }
        LOG.warn("Lieferung {} NOT sent: {}. The file is moved to {}", fileName, reason, folder);
    }
}
