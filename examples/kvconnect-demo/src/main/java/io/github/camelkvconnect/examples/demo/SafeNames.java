package io.github.camelkvconnect.examples.demo;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * File and folder names derived from received data (attachment names and Message-IDs are chosen by the sender):
 * never a path, never hidden, no control or bidi characters, no Windows device names, bounded length. Received data
 * must not decide where on the disk something is written.
 */
final class SafeNames {

    static final int MAX_LENGTH = 120;

    private static final Set<String> DEVICE_NAMES = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafeNames() {
    }

    /**
     * @param name     a file name as sent (may contain directories, "..", control characters), or null
     * @param fallback the name to use when nothing usable is left (must itself be safe)
     * @return a plain file name: letters, digits, blank and {@code . - _ ( ) + , @}; others become '_'
     */
    static String fileName(String name, String fallback) {
        if (name == null) {
            return fallback;
        }
        String last = name;
        int slash = Math.max(last.lastIndexOf('/'), last.lastIndexOf('\\'));
        if (slash >= 0) {
            last = last.substring(slash + 1);
        }
        last = Normalizer.normalize(last, Normalizer.Form.NFC);
        StringBuilder sb = new StringBuilder(last.length());
        last.codePoints().forEach(cp -> sb.appendCodePoint(allowedInFileName(cp) ? cp : '_'));
        String cleaned = trim(sb.toString().replaceAll("\\s+", " "));
        cleaned = shorten(cleaned, MAX_LENGTH);
        if (cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '_')) {
            return fallback;
        }
        String base = cleaned.contains(".") ? cleaned.substring(0, cleaned.indexOf('.')) : cleaned;
        if (DEVICE_NAMES.contains(base.strip().toUpperCase(Locale.ROOT))) {
            cleaned = "_" + cleaned;
        }
        return cleaned;
    }

    /**
     * @param messageId a Message-ID such as {@code <1b4e...@kv-safenet.de>}, or null
     * @return a folder name: the Message-ID without angle brackets, characters other than letters, digits and
     *         {@code . _ @ + -} replaced by '_'
     */
    static String folderName(String messageId) {
        String id = messageId == null ? "" : messageId.strip();
        if (id.startsWith("<")) {
            id = id.substring(1);
        }
        if (id.endsWith(">")) {
            id = id.substring(0, id.length() - 1);
        }
        StringBuilder sb = new StringBuilder(id.length());
        for (char c : id.toCharArray()) {
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '@' || c == '+' || c == '-');
            sb.append(ok ? c : '_');
        }
        String cleaned = shorten(trim(sb.toString()), 100);
        return cleaned.isEmpty() || cleaned.chars().allMatch(c -> c == '_') ? "message-without-id" : cleaned;
    }

    /**
     * @return {@code dir/name}, after checking that it really is a direct child of {@code dir}
     * @throws IllegalArgumentException if it is not (a bug in the sanitising, never expected)
     */
    static Path inside(Path dir, String name) {
        Path base = dir.toAbsolutePath().normalize();
        Path resolved = base.resolve(name).normalize();
        if (!base.equals(resolved.getParent())) {
            throw new IllegalArgumentException("Refusing to write outside " + base);
        }
        return resolved;
    }

    private static boolean allowedInFileName(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            // Letters of any script are fine; format characters (bidi overrides, zero-width) are not letters.
            return true;
        }
        return cp == ' ' || cp == '.' || cp == '-' || cp == '_' || cp == '(' || cp == ')' || cp == '+' || cp == ','
               || cp == '@';
    }

    /** No leading dots or blanks (hidden files, ".."), no trailing dots or blanks (Windows drops them). */
    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Cuts to {@code max} characters, keeping a short extension. */
    private static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
        String head = s.substring(0, max - ext.length());
        if (Character.isHighSurrogate(head.charAt(head.length() - 1))) {
            head = head.substring(0, head.length() - 1);
        }
        return trim(head) + ext;
    }
}
