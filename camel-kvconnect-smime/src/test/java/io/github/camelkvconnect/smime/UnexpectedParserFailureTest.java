package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

/**
 * What the reader throws when a parser fails unexpectedly (an unchecked exception or a stack overflow): the documented
 * type with a fixed text, never the parser's message, which may quote decrypted content; where it failed survives.
 */
class UnexpectedParserFailureTest {

    @Test
    void theParsersMessageIsNeverPassedOn() {
        for (Throwable failure : new Throwable[] { new IllegalStateException("Befund: Patient Mustermann, Diagnose X"),
                                                   new StackOverflowError("Befund: Patient Mustermann") }) {
            SmimeDecryptionException e = UnexpectedParserFailure.of(failure);
            assertEquals(DecryptionFailure.CORRUPT_DATA, e.reason());
            assertTrue(e.getMessage().contains(failure.getClass().getSimpleName()), e.getMessage());
            StringWriter logged = new StringWriter();
            e.printStackTrace(new PrintWriter(logged));
            assertFalse(logged.toString().contains("Mustermann"), logged.toString());
            Throwable cause = assertInstanceOf(UnexpectedParserFailure.class, e.getCause());
            assertEquals(failure.getClass().getName(), cause.getMessage());
            assertArrayEquals(failure.getStackTrace(), cause.getStackTrace());
        }
    }
}
