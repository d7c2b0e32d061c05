package io.github.camelkvconnect.smime;

/**
 * The type and stack trace of an unchecked exception (or stack overflow) a parser threw on a message, without its
 * text: parser messages may quote the input, i.e. decrypted content. Attached as the cause of the
 * {@link SmimeDecryptionException} that reports it, so a log still shows where it failed.
 */
final class UnexpectedParserFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private UnexpectedParserFailure(Throwable original) {
        super(original.getClass().getName(), null, false, true);
        setStackTrace(original.getStackTrace());
    }

    /** The typed exception for an unexpected failure while reading a message; a fixed text, never the parser's. */
    static SmimeDecryptionException of(Throwable failure) {
        return new SmimeDecryptionException(DecryptionFailure.CORRUPT_DATA, "The message cannot be read: a parser failed "
                + "on its structure (" + failure.getClass().getSimpleName() + "); it is refused, ask the sender to send "
                + "it again", new UnexpectedParserFailure(failure));
    }
}
