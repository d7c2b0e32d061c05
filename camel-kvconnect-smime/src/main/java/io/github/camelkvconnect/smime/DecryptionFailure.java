package io.github.camelkvconnect.smime;

/** Why a transport message could not be decrypted (or read at all). */
public enum DecryptionFailure {
    /** None of the message's RecipientInfos can be opened with the configured key (wrong key or not addressed to us). */
    NO_MATCHING_RECIPIENT,
    /** The encrypted data or its structure is damaged. */
    CORRUPT_DATA,
    /** The data ends before the structure is complete. */
    TRUNCATED,
    /** The authenticated encryption (AES-GCM) tag does not match: the ciphertext was altered. */
    AUTHENTICATION_FAILED,
    /**
     * The envelope, key transport, key agreement, key wrap, ECDH curve or content cipher is not allowed by the
     * profile's {@link AlgorithmPolicy}.
     */
    ALGORITHM_NOT_ALLOWED,
    /** A {@link SmimeLimits} cap was exceeded. */
    LIMIT_EXCEEDED,
    /** The MIME structure is malformed (no encrypted body, broken multipart/signed, bad headers). */
    MALFORMED_MIME
}
