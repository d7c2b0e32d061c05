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
            if (isControl(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The value with every character {@link #isValueSafe} refuses (CR, LF, NUL, ...) replaced by a space. */
    public static String withControlsAsSpaces(String value) {
        if (isValueSafe(value)) {
            return value;
        }
        char[] chars = value.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (isControl(chars[i])) {
                chars[i] = ' ';
            }
        }
        return new String(chars);
    }

    private static boolean isControl(char c) {
        return c < 0x20 && c != '\t' || c == 0x7f;
    }
}
