package io.github.camelkvconnect.examples.demo;

/** Message-IDs compared the way they are written: {@code <local@domain>}, surrounding blanks ignored. */
final class MessageIds {

    private MessageIds() {
    }

    static String normalize(String messageId) {
        if (messageId == null) {
            return "";
        }
        String id = messageId.strip();
        if (!id.startsWith("<")) {
            id = "<" + id;
        }
        if (!id.endsWith(">")) {
            id = id + ">";
        }
        return id;
    }
}
