package io.github.camelkvconnect.component;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.camelkvconnect.component.crypto.DecryptionFailedException;

/**
 * A received message could not be decrypted. It stays on the server and is retried after a growing delay, or at once
 * when the keystore changes. The message names the Message-ID, the sender, a reason code and what to do about that
 * reason, never key material or content.
 * <p>
 * Reasons and their advice: {@code NO_MATCHING_RECIPIENT} (the keystore lacks the key of the certificate the message was
 * encrypted to, e.g. before a certificate renewal: configure the keystore that holds the old key), {@code NO_KEY} (the
 * keystore does not open), {@code TRUNCATED} (cut off: ask the sender to resend), {@code CORRUPT_DATA} and
 * {@code AUTHENTICATION_FAILED} (integrity failure: do not trust it), {@code NOT_ENCRYPTED} (refused: unencrypted mail
 * is not accepted), {@code LIMIT_EXCEEDED} (names the limit and its value), {@code ALGORITHM_NOT_ALLOWED},
 * {@code MALFORMED_MIME} and {@code UNREADABLE}.
 */
public class KvConnectDecryptionException extends KvConnectMessageException {

    private static final long serialVersionUID = 1L;

    /** How the S/MIME layer names a limit in its text, e.g. "(limit maxPartCount)". */
    private static final Pattern LIMIT_NAME = Pattern.compile("\\(limit (\\w+)\\)");

    private final String reason;

    /**
     * @param cause the failure; a {@link DecryptionFailedException}'s text (the S/MIME layer's, which never holds key
     *              material or content) is quoted for the reasons whose advice depends on it (limit, algorithm)
     */
    public KvConnectDecryptionException(String messageId, String sender, String reason, Throwable cause) {
        super(messageId, sender, "Cannot decrypt KV-Connect message " + messageId + " from " + sender + " (reason: " + reason
                                 + "). " + advice(reason, cause instanceof DecryptionFailedException d ? d.getMessage() : null)
                                 + " The message stays on the server and is retried later or when the keystore changes.",
              cause);
        this.reason = reason;
    }

    /** The reason code reported by the S/MIME layer. */
    public String getReason() {
        return reason;
    }

    /** What the reason means for the user and what to do, in a sentence or two. */
    static String advice(String reason, String detail) {
        String text = detail == null ? "" : detail.strip();
        if (reason != null && text.startsWith(reason + ": ")) {
            // the S/MIME layer's text starts with its reason code, already named
            text = text.substring(reason.length() + 2);
        }
        String quoted = text.isEmpty() ? "" : " (" + text + ")";
        return switch (reason == null ? "" : reason) {
            case "NO_MATCHING_RECIPIENT" -> "The keystore holds no key for the certificate the message was encrypted to. "
                                            + "Check that the keystore holds the key of the certificate the sender used "
                                            + "(after a certificate renewal: the old key), or ask the sender to resend "
                                            + "it to your current certificate.";
            case "NO_KEY" -> "The keystore cannot be opened or holds no key: check keystoreFile and keystorePassword.";
            case "TRUNCATED" -> "The message is incomplete: the download was cut off or the sender's upload was. It is "
                                + "fetched again; if it stays incomplete, ask the sender to send it again.";
            case "CORRUPT_DATA", "AUTHENTICATION_FAILED" -> "Integrity failure: the encrypted data is damaged or was "
                                                           + "altered on its way. Do not trust any part of it; ask the "
                                                           + "sender to send it again.";
            case DecryptionFailedException.NOT_ENCRYPTED -> "Refused: the message is not S/MIME encrypted, and unencrypted "
                                                           + "mail is not accepted over KV-Connect. Ask the sender to "
                                                           + "send it encrypted.";
            case "LIMIT_EXCEEDED" -> "The message exceeds a safety limit" + quoted + limitHint(detail)
                                     + " Raise a limit only if you trust the sender; otherwise ask the sender for a "
                                     + "smaller message.";
            case "ALGORITHM_NOT_ALLOWED" -> "The sender used an algorithm the configured profile does not allow" + quoted
                                            + ". Ask the sender to update the sending software or its settings.";
            case "MALFORMED_MIME" -> "The message's MIME or S/MIME structure is malformed: it is not a readable "
                                     + "KV-Connect message. Ask the sender to check the sending software.";
            default -> "The message cannot be read. Check that the keystore holds the key of the certificate the sender "
                       + "used, or ask the sender to send it again.";
        };
    }

    /** Which option raises the named limit, where the component has one. */
    private static String limitHint(String detail) {
        Matcher m = LIMIT_NAME.matcher(detail == null ? "" : detail);
        if (m.find() && m.group(1).equals("maxMessageBytes")) {
            return ". The limit is the endpoint option maxMessageSize.";
        }
        return ".";
    }
}
