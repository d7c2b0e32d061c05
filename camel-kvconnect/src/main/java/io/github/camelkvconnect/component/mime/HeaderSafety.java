package io.github.camelkvconnect.component.mime;

import java.util.Locale;

/** Rules for names and values that come from outside (server answers, decrypted MIME). */
public final class HeaderSafety {

    private HeaderSafety() {
    }

    /**
     * Whether a header name would be a Camel or JavaMail control header ({@code Camel*}, {@code org.apache.camel.*},
     * {@code mail.*}, case-insensitive). Such names are never taken over from inbound data.
     */
    public static boolean isControlHeaderName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("camel") || n.startsWith("org.apache.camel") || n.startsWith("mail.");
    }

    /** A value without line breaks or other control characters. */
    public static boolean isValueSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
