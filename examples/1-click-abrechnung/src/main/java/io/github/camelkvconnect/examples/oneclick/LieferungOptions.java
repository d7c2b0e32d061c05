package io.github.camelkvconnect.examples.oneclick;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The choices the user makes per Lieferung (1-Click requires the practice software to ask for them): billing quarter,
 * test or real billing, complete or partial. The practice software writes them into an optional options file next to
 * the billing file, {@code <file>.properties}:
 *
 * <pre>
 * quartal=2026-3
 * testdaten=false
 * vollstaendig=true
 * </pre>
 *
 * Missing keys take the defaults of {@link PracticeSettings}. Unknown keys and bad values are refused, so that a typo
 * cannot turn a test billing into a real one.
 */
public record LieferungOptions(String quartal, boolean testdaten, boolean vollstaendig) {

    private static final Set<String> KEYS = Set.of("quartal", "testdaten", "vollstaendig");

    /** The options file that belongs to a billing file. */
    public static Path fileFor(Path billingFile) {
        return billingFile.resolveSibling(billingFile.getFileName() + ".properties");
    }

    /** Reads the options file of the billing file, if there is one, over the defaults. */
    public static LieferungOptions read(Path billingFile, PracticeSettings settings, LocalDate today) throws LieferungException {
        String quartal = settings.defaultQuartal() != null ? settings.defaultQuartal() : previousQuarter(today);
        boolean testdaten = settings.defaultTestdaten();
        boolean vollstaendig = true;
        Path file = fileFor(billingFile);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new LieferungException("Cannot read the options file " + file.getFileName() + ": " + e.getMessage(), e);
            }
            Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
            unknown.removeAll(KEYS);
            if (!unknown.isEmpty()) {
                throw new LieferungException("The options file " + file.getFileName() + " has unknown keys " + unknown
                                             + "; allowed are " + new TreeSet<>(KEYS));
            }
            quartal = p.getProperty("quartal", quartal).strip();
            testdaten = bool(p, "testdaten", testdaten, file);
            vollstaendig = bool(p, "vollstaendig", vollstaendig, file);
            if (!quartal.matches("[0-9]{4}-[1-4]")) {
                throw new LieferungException("The options file " + file.getFileName() + " has quartal=" + quartal
                                             + "; write the billing quarter as JJJJ-Q, e.g. 2026-3");
            }
        }
        return new LieferungOptions(quartal, testdaten, vollstaendig);
    }

    private static boolean bool(Properties p, String key, boolean fallback, Path file) throws LieferungException {
        String v = p.getProperty(key);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new LieferungException("The options file " + file.getFileName() + " has " + key + "=" + v
                                                    + "; write true or false");
        };
    }

    /** Billings are sent after the quarter ended: in 2026-11 the default is 2026-3, in 2027-01 it is 2026-4. */
    static String previousQuarter(LocalDate today) {
        int quarter = (today.getMonthValue() - 1) / 3 + 1;
        return quarter == 1 ? (today.getYear() - 1) + "-4" : today.getYear() + "-" + (quarter - 1);
    }

    /** Today in Germany (the quarter is a German calendar quarter). */
    static LocalDate today() {
        return LocalDate.now(ZoneId.of("Europe/Berlin"));
    }
}
