package io.github.camelkvconnect.smime;

import java.io.IOException;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;

/** Walks the business entity's MIME tree to enforce the part count and nesting limits. */
final class EntityStructureCheck {

    private EntityStructureCheck() {
    }

    static void check(DecryptedMessage message, SmimeLimits limits) throws SmimeException, IOException {
        try {
            int[] count = { 0 };
            walk(message.businessEntity(), 0, count, limits);
        } catch (MessagingException e) {
            throw new SmimeDecryptionException(DecryptionFailure.MALFORMED_MIME,
                    "The decrypted business entity is malformed MIME", e);
        }
    }

    private static void walk(Part part, int depth, int[] count, SmimeLimits limits)
            throws MessagingException, IOException, SmimeException {
        if (++count[0] > limits.maxPartCount()) {
            throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED,
                    "More than " + limits.maxPartCount() + " MIME parts (limit maxPartCount); the message is refused");
        }
        if (depth > limits.maxNestingDepth()) {
            throw new SmimeDecryptionException(DecryptionFailure.LIMIT_EXCEEDED, "MIME nesting deeper than "
                    + limits.maxNestingDepth() + " (limit maxNestingDepth); the message is refused");
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
