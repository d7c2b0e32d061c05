package io.github.camelkvconnect.component.mime;

/**
 * Makes attachment names safe to use as file names downstream: no directories, no control or bidi characters, no
 * reserved names, bounded length. Names come from senders and are untrusted.
 */
public final class AttachmentNames {

    private static final int MAX_LENGTH = 200;

    private AttachmentNames() {
    }

    public static String safe(String name) {
        if (name == null) {
            return "attachment";
        }
        String n = name;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        StringBuilder sb = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>'
                          || c == '|' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                          || c == '\u200e' || c == '\u200f';
            sb.append(bad ? '_' : c);
        }
        String s = sb.toString().strip();
        while (s.startsWith(".")) {
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            s = "attachment";
        }
        if (s.length() > MAX_LENGTH) {
            s = s.substring(s.length() - MAX_LENGTH);
        }
        return s;
    }
}
