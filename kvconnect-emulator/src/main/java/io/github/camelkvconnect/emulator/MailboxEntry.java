package io.github.camelkvconnect.emulator;

import java.util.Map;

/**
 * A message in a mailbox as the admin API lists it.
 *
 * @param messageId the Message-ID, normally with angle brackets
 * @param headers   the listed headers (lowercase names of the REST header list, e.g. {@code x-kvc-dienstkennung})
 * @param size      the raw size in bytes
 */
public record MailboxEntry(String messageId, Map<String, String> headers, long size) {
}
