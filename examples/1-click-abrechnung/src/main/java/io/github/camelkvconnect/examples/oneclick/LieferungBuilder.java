package io.github.camelkvconnect.examples.oneclick;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import jakarta.activation.FileDataSource;
import jakarta.mail.internet.MimeMultipart;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import io.github.camelkvconnect.component.KvConnectConstants;

/**
 * Turns a billing file from the outbox into a Lieferung: makes the Begleitdatei (new GUID, the practice's BSNR, the
 * user's choices from {@link LieferungOptions}), stores it in the Lieferung's folder, records the Lieferung in the
 * {@link CorrelationStore} and sets the message up for the {@code kvconnect} producer: the two attachments, the KV's
 * address, the fixed subject and Dienstkennung, and no {@code Disposition-Notification-To} (1-Click forbids it: the
 * KV sends its own Eingangsbestaetigung) and no Cc (forbidden as well).
 */
final class LieferungBuilder implements Processor {

    /** Exchange property: the GUID of the Lieferung being sent. */
    static final String GUID_PROPERTY = "OneClickGuid";
    /** Only the KVDT billing is sent by this example (1-Click functions 1 and 2, test or real billing). */
    static final String DOKUMENTEN_TYP = "ABRECHNUNG";

    private final PracticeSettings settings;
    private final CorrelationStore store;

    LieferungBuilder(PracticeSettings settings, CorrelationStore store) {
        this.settings = settings;
        this.store = store;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Path billing = exchange.getMessage().getBody(File.class).toPath();
        String name = checkName(billing.getFileName().toString());
        LieferungOptions options = LieferungOptions.read(billing, settings, LieferungOptions.today());
        Begleitdatei begleitdatei = Begleitdatei.neu(settings.bsnr(), options.testdaten(), DOKUMENTEN_TYP,
                options.quartal(), options.vollstaendig(), List.of(name));
        exchange.setProperty(GUID_PROPERTY, begleitdatei.guid());

        // The Begleitdatei is kept in the Lieferung's folder and sent from there: what is archived is what was sent.
        Path folder = store.folder(begleitdatei.guid());
        Files.createDirectories(folder);
        Path begleitdateiFile = folder.resolve(OneClick.BEGLEITDATEI);
        Files.write(begleitdateiFile, begleitdatei.toBytes());
        store.create(new LieferungStatus(begleitdatei.guid(), begleitdatei.version(), begleitdatei.bsnr(),
                begleitdatei.quartal(), begleitdatei.testdaten(), begleitdatei.vollstaendig(), name, Files.size(billing),
                sha256(billing), settings.kvAddress(), Instant.now().toString(), null, null, null, null, List.of()));

        MimeMultipart parts = new MimeMultipart("mixed");
        parts.addBodyPart(MimeEntities.attachment(new FileDataSource(begleitdateiFile.toFile()), OneClick.BEGLEITDATEI,
                OneClick.BEGLEITDATEI_CONTENT_TYPE));
        // The billing file is already encrypted for the KV (KBV crypto module); it is passed on as opaque bytes,
        // streamed from the outbox when the message is written.
        parts.addBodyPart(MimeEntities.attachment(new FileDataSource(billing.toFile()), name, OneClick.KVDT_CONTENT_TYPE));

        Message m = exchange.getMessage();
        m.setBody(MimeEntities.entity(parts));
        m.setHeader(KvConnectConstants.TO, settings.kvAddress());
        m.setHeader(KvConnectConstants.SUBJECT, OneClick.SUBJECT_LIEFERUNG);
        m.setHeader(KvConnectConstants.DIENSTKENNUNG, OneClick.DIENSTKENNUNG_LIEFERUNG);
        m.removeHeader(KvConnectConstants.DISPOSITION_NOTIFICATION_TO);
        m.removeHeader(KvConnectConstants.CC);
        m.removeHeader(KvConnectConstants.IN_REPLY_TO);
    }

    /**
     * The name goes into the Begleitdatei and into MIME headers, and must equal in both: a KVDT file name as the
     * practice software writes it ({@code Z01<BSNR>_<date>_<time>.con.xkm}), plain ASCII.
     */
    static String checkName(String name) throws LieferungException {
        if (!name.toLowerCase(Locale.ROOT).endsWith(OneClick.KVDT_EXTENSION) || name.length() <= OneClick.KVDT_EXTENSION.length()) {
            throw new LieferungException("Only XKM-encrypted KVDT files (*" + OneClick.KVDT_EXTENSION + ") can be sent, not "
                                         + name + "; encrypt the billing with the KBV crypto module first");
        }
        if (name.length() > 200 || !name.matches("[A-Za-z0-9._+-]+")) {
            throw new LieferungException("The file name " + name + " must consist of letters, digits and . _ + - only"
                                         + " (at most 200 characters); rename the file as the practice software names it");
        }
        return name;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
