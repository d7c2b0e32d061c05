package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R19 canonicalisation of multipart/signed (KV-Connect): the signed part is checked byte for byte as it arrived.
 * Variants that leave the signed bytes alone verify (line ends the signer hashed, trailing spaces and quoted-printable
 * soft breaks that were signed, text around the MIME structure); variants that change the signed bytes do not, even
 * where the decoded text is the same (the reader never "normalises until it verifies").
 */
class CanonicalisationTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    @TempDir
    Path work;

    private VerificationStatus receive(String plaintext) throws Exception {
        byte[] transport = TestMessages.transport(headers("alice@kv-safenet.de", "bob@kv-safenet.de"),
                plaintext.getBytes(StandardCharsets.ISO_8859_1), BOB.certificate());
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors()).workDirectory(work).build();
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(transport))) {
            return m.verification().status();
        }
    }

    /** A multipart/signed (CRLF structure) over exactly these entity bytes. */
    private static String signed(String entity) throws Exception {
        return new String(TestMessages.multipartSigned(entity.getBytes(StandardCharsets.ISO_8859_1), ALICE, true),
                StandardCharsets.ISO_8859_1);
    }

    private static final String CRLF_ENTITY = "Content-Type: text/plain; charset=UTF-8\r\n\r\nBefund: unauffaellig\r\n"
                                              + "Kontrolle in 6 Wochen\r\n";

    @Test
    void crlfEntityAsSignedIsValid() throws Exception {
        assertEquals(VerificationStatus.VALID, receive(signed(CRLF_ENTITY)));
    }

    @Test
    void lfEntityThatWasSignedWithLfIsValid() throws Exception {
        // a signer that hashed bare-LF text as it is: the same bytes arrive, so the digest matches
        assertEquals(VerificationStatus.VALID, receive(signed(CRLF_ENTITY.replace("\r\n", "\n"))));
    }

    @Test
    void crlfEntityConvertedToLfAfterSigningIsBadSignature() throws Exception {
        String message = signed(CRLF_ENTITY);
        String converted = message.replace(CRLF_ENTITY, CRLF_ENTITY.replace("\r\n", "\n"));
        assertTrue(converted.length() < message.length());
        assertEquals(VerificationStatus.BAD_SIGNATURE, receive(converted));
    }

    @Test
    void wholeMessageWithLfLineEndsKeepsTheSignedLfEntityValid() throws Exception {
        // the MIME structure itself with bare LF (the LF before a delimiter belongs to the delimiter)
        String lf = CRLF_ENTITY.replace("\r\n", "\n");
        // the entity has no CR, so this converts only the headers, delimiters and the base64 signature lines
        String structure = signed(lf).replace("\r\n", "\n");
        assertEquals(VerificationStatus.VALID, receive(structure));
    }

    @Test
    void signedTrailingSpacesAreValidAddedOnesAreBadSignature() throws Exception {
        String withSpaces = CRLF_ENTITY.replace("unauffaellig\r\n", "unauffaellig   \r\n");
        assertEquals(VerificationStatus.VALID, receive(signed(withSpaces)));
        String message = signed(CRLF_ENTITY);
        assertEquals(VerificationStatus.BAD_SIGNATURE, receive(message.replace("unauffaellig\r\n", "unauffaellig \r\n")));
        // and the other way: spaces that were signed, stripped on the way
        assertEquals(VerificationStatus.BAD_SIGNATURE,
                receive(signed(withSpaces).replace("unauffaellig   \r\n", "unauffaellig\r\n")));
    }

    @Test
    void signedQuotedPrintableSoftBreaksAreValidRewrappingIsBadSignature() throws Exception {
        String qp = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + "Befund: unauff=C3=A4llig, Kontrolle in sechs Wochen, bitte Termin verein=\r\nbaren.\r\n";
        assertEquals(VerificationStatus.VALID, receive(signed(qp)));
        // the same decoded text without the soft break: the signed bytes changed
        String message = signed(qp);
        assertEquals(VerificationStatus.BAD_SIGNATURE, receive(message.replace("verein=\r\nbaren.", "vereinbaren.")));
    }

    @Test
    void extraNewlinesInPreambleAndPostambleAreValid() throws Exception {
        String message = signed(CRLF_ENTITY);
        int firstDelimiter = message.indexOf("\r\n\r\n--") + 4;
        String preamble = message.substring(0, firstDelimiter) + "This is an S/MIME signed message\r\n\r\n"
                          + message.substring(firstDelimiter);
        assertEquals(VerificationStatus.VALID, receive(preamble));
        assertEquals(VerificationStatus.VALID, receive(message + "\r\n"));
        assertEquals(VerificationStatus.VALID, receive(message + "\r\n\r\n\r\nepilogue text\r\n"));
        assertEquals(VerificationStatus.VALID, receive(message + "\n"));
    }

    @Test
    void extraNewlineAtTheEndOfTheSignedPartIsBadSignature() throws Exception {
        String message = signed(CRLF_ENTITY);
        int end = message.indexOf(CRLF_ENTITY) + CRLF_ENTITY.length();
        assertEquals(VerificationStatus.BAD_SIGNATURE, receive(message.substring(0, end) + "\r\n" + message.substring(end)));
    }
}
