package io.github.camelkvconnect.examples.oneclick;

/** Message-IDs as keys and as folder names. */
final class MessageIds {

    private MessageIds() {
    }

    /** {@code <id@host>}, {@code id@host} and surrounding blanks all become {@code <id@host>}; blank gives null. */
    static String normalise(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            return null;
        }
        String id = messageId.strip();
        if (id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1).strip();
        }
        return id.isEmpty() ? null : "<" + id + ">";
    }

    /**
     * A folder name for a Message-ID: without the angle brackets, every character other than letters, digits,
     * {@code . _ @ -} replaced, at most 120 characters. The Message-ID comes from the sender and is untrusted.
     */
    static String folderName(String messageId) {
        String id = normalise(messageId);
        if (id == null) {
            return "no-message-id";
        }
        String name = id.substring(1, id.length() - 1).replaceAll("[^A-Za-z0-9._@-]", "_");
        while (name.startsWith(".")) {
            name = "_" + name.substring(1);
        }
        return name.length() > 120 ? name.substring(0, 120) : name;
    }
}
