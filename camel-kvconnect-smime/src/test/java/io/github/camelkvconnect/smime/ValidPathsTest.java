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

    @Test
    void aSharedCacheServesReadersBuiltPerMessageButOnlyForTheAnchorsItValidatedAgainst() throws Exception {
        byte[] message = write(SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(PKI.anchors()).build());
        CertificatePathCache cache = new CertificatePathCache();

        // a new reader per message, as an application reading with per-message settings builds them
        assertEquals(VerificationStatus.VALID, read(reader(cache, PKI.anchors()), message));
        assertEquals(0, cache.hits(), "the first message validates the signer's path");
        assertEquals(1, cache.size());
        assertEquals(VerificationStatus.VALID, read(reader(cache, PKI.anchors()), message));
        assertEquals(1, cache.hits(), "the second reader takes the path from the shared cache");

        // a root of the same name but another key: the path is built identically, and must be validated anew
        List<java.security.cert.X509Certificate> lookalike = List.of(PKI.lookalikeRootCertificate());
        assertEquals(VerificationStatus.UNTRUSTED_CHAIN, read(reader(cache, lookalike), message));
        SmimeWriter writer = SmimeWriter.builder().credentials(ALICE).certificateResolver(TestPki.resolver(BOB))
                .trustAnchors(lookalike).pathCache(cache).build();
        CertificateProblemsException refused = assertThrows(CertificateProblemsException.class, () -> write(writer));
        assertTrue(refused.problems().containsKey("bob@kv-safenet.de"), refused.getMessage());
        assertEquals(1, cache.hits(), "no answer from the cache for other anchors");

        // with CRLs the cache is neither consulted nor filled; a revocation published later takes effect
        SmimeReader withCrl = SmimeReader.builder().credentials(BOB).trustAnchors(PKI.anchors())
                .crls(List.of(PKI.crl(ALICE.certificate()))).pathCache(cache).build();
        assertEquals(VerificationStatus.REVOKED, read(withCrl, message));
        assertEquals(1, cache.hits());
        assertEquals(1, cache.size());
    }

    private static SmimeReader reader(CertificatePathCache cache, List<java.security.cert.X509Certificate> anchors) {
        return SmimeReader.builder().credentials(BOB).trustAnchors(anchors).pathCache(cache).build();
    }

    private static VerificationStatus read(SmimeReader reader, byte[] message) throws Exception {
        try (DecryptedMessage m = reader.read(new ByteArrayInputStream(message))) {
            return m.verification().status();
        }
    }

    private static byte[] write(SmimeWriter writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(businessEntity("Befund"), headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
        return out.toByteArray();
    }
}
