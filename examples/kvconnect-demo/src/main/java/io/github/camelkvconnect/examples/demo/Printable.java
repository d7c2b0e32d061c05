package io.github.camelkvconnect.examples.demo;

/**
 * Text from outside made safe to print on one console or log line. Outbox file names, addresses, Message-IDs,
 * subjects and exception messages are chosen by whoever dropped the file or sent the message: a CR or LF would start
 * a forged line, an escape sequence would drive the terminal, a bidi override would reverse what is shown.
 */
final class Printable {

    private Printable() {
    }

    /**
     * @return the text with every control character (CR, LF, TAB, ESC, NUL, DEL, the C1 controls including NEL),
     *         format character (bidi overrides, zero-width characters) and line or paragraph separator replaced by
     *         {@code ?}; "null" for null
     */
    static String of(Object value) {
        String text = String.valueOf(value);
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (unsafe(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length()).append(text, 0, i);
                }
                sb.append('?');
            } else if (sb != null) {
                sb.appendCodePoint(cp);
            }
            i = next;
        }
        return sb == null ? text : sb.toString();
    }

    private static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
               || type == Character.PARAGRAPH_SEPARATOR;
    }
}
