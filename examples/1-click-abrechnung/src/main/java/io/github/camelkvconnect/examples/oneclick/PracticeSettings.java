package io.github.camelkvconnect.examples.oneclick;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the practice side needs to know besides its KV-Connect account.
 *
 * @param directory        the practice's 1-Click folder: {@code outbox/}, {@code lieferungen/}, {@code failed/},
 *                         {@code unmatched/} are created below it
 * @param bsnr             the practice's Betriebsstaettennummer (9 digits), written into every Begleitdatei
 * @param kvAddress        the KV-Connect address of the KV's 1-Click receiving office (from the KVCA master file, e.g.
 *                         {@code abrechnung.17@kv-safenet.de})
 * @param defaultQuartal   the billing quarter ({@code JJJJ-Q}) when a Lieferung does not name one; null means the quarter
 *                         before the current one (billings are sent after the quarter ended)
 * @param defaultTestdaten whether a Lieferung is a test billing when it does not say
 * @param outboxCheckMillis how long a file in the outbox must stay unchanged before it is sent (it may still be written)
 * @param pollDelayMillis  how often the practice's account is polled for answers
 */
public record PracticeSettings(Path directory, String bsnr, String kvAddress, String defaultQuartal,
                               boolean defaultTestdaten, long outboxCheckMillis, long pollDelayMillis) {

    private static final Pattern BSNR = Pattern.compile("[0-9]{9}");
    private static final Pattern QUARTAL = Pattern.compile("[0-9]{4}-[1-4]");

    public PracticeSettings {
        Objects.requireNonNull(directory, "directory");
        if (bsnr == null || !BSNR.matcher(bsnr).matches()) {
            throw new IllegalArgumentException("The BSNR (Betriebsstaettennummer) must be 9 digits, was " + bsnr);
        }
        if (kvAddress == null || !kvAddress.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("The KV address must be a KV-Connect address like abrechnung.17@kv-safenet.de, was "
                                               + kvAddress);
        }
        if (defaultQuartal != null && !QUARTAL.matcher(defaultQuartal).matches()) {
            throw new IllegalArgumentException("The default quarter must be JJJJ-Q (e.g. 2026-3), was " + defaultQuartal);
        }
        if (outboxCheckMillis < 1 || pollDelayMillis < 1) {
            throw new IllegalArgumentException("outboxCheckMillis and pollDelayMillis must be positive");
        }
    }

    /** With the usual timings: a file must be unchanged for 1 s, answers are polled every 30 s. */
    public static PracticeSettings of(Path directory, String bsnr, String kvAddress) {
        return new PracticeSettings(directory, bsnr, kvAddress, null, true, 1000, 30_000);
    }

    public PracticeSettings withTimings(long outboxCheck, long pollDelay) {
        return new PracticeSettings(directory, bsnr, kvAddress, defaultQuartal, defaultTestdaten, outboxCheck, pollDelay);
    }

    public PracticeSettings withDefaults(String quartal, boolean testdaten) {
        return new PracticeSettings(directory, bsnr, kvAddress, quartal, testdaten, outboxCheckMillis, pollDelayMillis);
    }

    /** Where the practice software drops {@code *.con.xkm} files (and optional {@code <file>.properties}). */
    public Path outbox() {
        return directory.resolve("outbox");
    }

    /** One folder per Lieferung (by GUID): Begleitdatei, the sent file, status.json and the answers. */
    public Path lieferungen() {
        return directory.resolve("lieferungen");
    }

    /** Files that could not be sent, each in a folder with error.txt. */
    public Path failed() {
        return directory.resolve("failed");
    }

    /** Answers from the KV that match no Lieferung, each with report.json. */
    public Path unmatched() {
        return directory.resolve("unmatched");
    }
}
