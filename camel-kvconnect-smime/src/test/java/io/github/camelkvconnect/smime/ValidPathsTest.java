package io.github.camelkvconnect.smime;

import static io.github.camelkvconnect.smime.TestMessages.businessEntity;
import static io.github.camelkvconnect.smime.TestMessages.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Writer and reader remember certificate paths PKIX accepted; a remembered path is accepted again only at instants
 * inside the validity of all its certificates, so a certificate that expires meanwhile is still reported.
 */
class ValidPathsTest {

    private static final TestPki PKI = TestPki.shared();
    private static final SmimeCredentials ALICE = PKI.user("alice@kv-safenet.de");
    private static final SmimeCredentials BOB = PKI.user("bob@kv-safenet.de");

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void rememberedPathsStillExpire() throws Exception {
        MovableClock clock = new MovableClock();
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).intermediates(List.of(PKI.userCaCertificate())).clock(clock).build();
        SmimeReader reader = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors())
                .intermediates(List.of(PKI.userCaCertificate())).clock(clock).build();

        byte[] first = write(writer);
        byte[] second = write(writer); // the same paths again, from memory
        for (byte[] message : List.of(first, second, first)) {
            try (DecryptedMessage m = reader.read(new ByteArrayInputStream(message))) {
                assertEquals(VerificationStatus.VALID, m.verification().status(), m.verification().detail());
            }
        }

        // one day after the signer's (and recipient's) certificate expired
        clock.now = ALICE.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(first))) {
            assertEquals(VerificationStatus.EXPIRED, m.verification().status(), m.verification().detail());
        }
        CertificateProblemsException problems = assertThrows(CertificateProblemsException.class, () -> write(writer));
        assertTrue(problems.getMessage().contains("bob@kv-safenet.de"), problems.getMessage());
    }

    private static byte[] write(SmimeWriter writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }
}
