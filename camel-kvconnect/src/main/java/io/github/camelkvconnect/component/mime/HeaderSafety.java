package io.github.camelkvconnect.component.mime;

/**
 * Rules for values that come from outside (server answers, decrypted MIME). Header names from outside are never used
 * at all: the consumer sets an allow-list of its own header names.
 */
public final class HeaderSafety {

    private HeaderSafety() {
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
