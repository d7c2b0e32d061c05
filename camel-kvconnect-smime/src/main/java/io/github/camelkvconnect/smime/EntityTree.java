package io.github.camelkvconnect.smime;

import java.io.IOException;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

/**
 * Parses the multipart tree of a received business entity once, on receipt, after {@link MimeStructure} has counted
 * it: Jakarta Mail keeps the parsed tree, so its structure stays readable after the {@link DecryptedMessage} is closed
 * (its content does not), as callers of the data format rely on. The counts are checked again here as a safeguard;
 * they cannot be exceeded by an entity that passed the walk.
 */
final class EntityTree {

    private EntityTree() {
    }

    static void parse(DecryptedMessage message, SmimeLimits limits) throws SmimeException, IOException {
        try {
            int[] count = { 0 };
            walk(message.businessEntity(), 0, count, limits);
        } catch (MessagingException e) {
            // no cause: Jakarta Mail's messages quote the entity, which is decrypted content
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    "The decrypted business entity is malformed MIME");
        }
    }

    private static void walk(Part part, int depth, int[] count, SmimeLimits limits)
            throws MessagingException, IOException, SmimeException {
        if (++count[0] > limits.maxPartCount()) {
            throw SmimeLimits.exceeded("More than " + limits.maxPartCount() + " MIME parts", "maxPartCount");
        }
        if (depth > limits.maxNestingDepth()) {
            throw SmimeLimits.exceeded("MIME nesting deeper than " + limits.maxNestingDepth(), "maxNestingDepth");
        }
        if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    walk(mp.getBodyPart(i), depth + 1, count, limits);
                }
            }
        }
    }
}
