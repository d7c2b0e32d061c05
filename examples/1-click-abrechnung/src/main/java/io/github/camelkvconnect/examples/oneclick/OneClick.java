package io.github.camelkvconnect.examples.oneclick;

import java.util.Locale;

/**
 * The fixed values of the 1-Click-Abrechnung (quarterly billing sent "with one click" from the practice software to
 * the KV, the Kassenaerztliche Vereinigung) as the domain reference §7.2 gives them: one Dienstkennung (service
 * identifier, header {@code X-KVC-Dienstkennung}) and one fixed subject per message type, and the fixed name of the
 * Begleitdatei (accompanying file).
 */
public final class OneClick {

    /** Dienstkennung of the Lieferung (delivery) the practice sends. */
    public static final String DIENSTKENNUNG_LIEFERUNG = "1ClickAbrechnung;Lieferung;V2.0";
    /** Dienstkennung of the KV's Eingangsbestaetigung (technical receipt confirmation, an MDN). */
    public static final String DIENSTKENNUNG_EINGANGSBESTAETIGUNG = "1ClickAbrechnung;Eingangsbestaetigung;V2.0";
    /** Dienstkennung of the KV's Rueckmeldung (the result of checking the billing, with the Begleitdatei). */
    public static final String DIENSTKENNUNG_RUECKMELDUNG = "1ClickAbrechnung;Rueckmeldung;V2.0";

    public static final String SUBJECT_LIEFERUNG = "1ClickAbrechnung-Lieferung";
    public static final String SUBJECT_EINGANGSBESTAETIGUNG = "1ClickAbrechnung-Eingangsbestaetigung";
    public static final String SUBJECT_RUECKMELDUNG = "1ClickAbrechnung-Rueckmeldung";

    /** The fixed file name of the Begleitdatei, in the Lieferung and echoed in every Rueckmeldung. */
    public static final String BEGLEITDATEI = "begleitdatei.xml";
    /** Its part's content type (UTF-8 is mandatory for the Begleitdatei). */
    public static final String BEGLEITDATEI_CONTENT_TYPE = "application/xml; charset=utf-8";
    /** The content type of the KVDT file, which the practice software has already encrypted with the KBV crypto module (XKM). */
    public static final String KVDT_CONTENT_TYPE = "application/octet-stream";
    /** The extension of the XKM-encrypted KVDT billing file. */
    public static final String KVDT_EXTENSION = ".con.xkm";

    /** The consumer filter of the practice: the two kinds of answers from the KV (any version). */
    public static final String ANSWERS_FILTER = "1ClickAbrechnung;Eingangsbestaetigung;*,1ClickAbrechnung;Rueckmeldung;*";
    /** The consumer filter of the KV side: Lieferungen (any version). */
    public static final String LIEFERUNG_FILTER = "1ClickAbrechnung;Lieferung;*";

    private OneClick() {
    }

    /** Whether the Dienstkennung names an Eingangsbestaetigung of the 1-Click-Abrechnung (any version, any case). */
    public static boolean isEingangsbestaetigung(String dienstkennung) {
        return "eingangsbestaetigung".equals(messageType(dienstkennung));
    }

    /** Whether the Dienstkennung names a Rueckmeldung of the 1-Click-Abrechnung (any version, any case). */
    public static boolean isRueckmeldung(String dienstkennung) {
        return "rueckmeldung".equals(messageType(dienstkennung));
    }

    /** Whether the Dienstkennung names a Lieferung of the 1-Click-Abrechnung (any version, any case). */
    public static boolean isLieferung(String dienstkennung) {
        return "lieferung".equals(messageType(dienstkennung));
    }

    /** {@code 1ClickAbrechnung;<type>;V<x.y>} gives {@code <type>} in lower case; anything else gives null. */
    private static String messageType(String dienstkennung) {
        if (dienstkennung == null) {
            return null;
        }
        String[] parts = dienstkennung.strip().split(";");
        if (parts.length != 3 || !parts[0].equalsIgnoreCase("1ClickAbrechnung")) {
            return null;
        }
        return parts[1].toLowerCase(Locale.ROOT);
    }
}
