package io.github.camelkvconnect.smime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A chosen RSA provider must offer every RSA service the writer and the reader request from it; one that does not
 * fails when the option is resolved or a writer/reader is built, naming the provider and the missing service, and never
 * on the first message. The JDK's own providers split RSA between them, so each lacks a different part: SUN has no RSA,
 * SunRsaSign has the signatures but no RSA cipher, SunJCE the cipher but no RSA signatures.
 */
class RsaProviderCheckTest {

    @TempDir
    Path work;

    @Test
    void autoSkipsAnAcceleratedCandidateThatLacksAServiceInsteadOfFailingTheStart() {
        // auto means "ACCP when usable, else the JVM's providers": an unsuitable candidate falls back, never throws
        assertEquals(null, RsaProviders.autoChoice(java.util.Optional.of(Security.getProvider("SUN"))));
        assertEquals(null, RsaProviders.autoChoice(java.util.Optional.empty()));
        Provider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        assertSame(bc, RsaProviders.autoChoice(java.util.Optional.of(bc)));
    }

    @Test
    void providerWithoutRsaIsRefusedNamingTheFirstMissingService() {
        UnsuitableRsaProviderException e = assertThrows(UnsuitableRsaProviderException.class,
                () -> RsaProviders.requireRsaServices(Security.getProvider("SUN")));
        assertEquals("SUN", e.providerName());
        assertEquals("Signature SHA256withRSA", e.missingService());
        assertTrue(e.getMessage().startsWith("rsaProvider SUN: the JCA provider SUN does not offer Signature SHA256withRSA, "
                                             + "needed for signing (KVCONNECT profile)"), e.getMessage());
        assertTrue(e.getMessage().contains("Cipher RSA/ECB/OAEPPadding (SHA-256, MGF1 with SHA-256)")
                   && e.getMessage().contains("or default"), "lists what is needed and the way out: " + e.getMessage());
    }

    @Test
    void signaturesWithoutKeyTransportAreRefused() {
        UnsuitableRsaProviderException e = assertThrows(UnsuitableRsaProviderException.class,
                () -> RsaProviders.requireRsaServices(Security.getProvider("SunRsaSign")));
        assertEquals("SunRsaSign", e.providerName());
        assertEquals("Cipher RSA/ECB/PKCS1Padding", e.missingService(), "the signatures passed, the cipher is missing");
        assertTrue(e.getMessage().contains("RSAES-PKCS1-v1_5 key transport"), e.getMessage());
    }

    @Test
    void keyTransportWithoutSignaturesIsRefused() {
        UnsuitableRsaProviderException e = assertThrows(UnsuitableRsaProviderException.class,
                () -> RsaProviders.requireRsaServices(Security.getProvider("SunJCE")));
        assertEquals("SunJCE", e.providerName());
        assertEquals("Signature SHA256withRSA", e.missingService());
    }

    @Test
    void registeredProviderWithoutRsaFailsWhenTheOptionIsResolved() {
        UnsuitableRsaProviderException e = assertThrows(UnsuitableRsaProviderException.class,
                () -> RsaProviders.resolve("SUN"));
        assertEquals("SUN", e.providerName());
    }

    @Test
    void completeProviderPassesAndIsUsed() {
        Provider bc = CertificateChecks.BC;
        assertSame(bc, RsaProviders.requireRsaServices(bc));
        assertSame(bc, RsaProviders.requireRsaServices(bc), "a second check of the same instance passes too (remembered)");
        RsaProviders.accelerated().ifPresent(accp -> assertSame(accp, RsaProviders.requireRsaServices(accp)));
    }

    @Test
    void writerAndReaderBuildersRefuseTheProviderBeforeAnyMessage() {
        Provider sun = Security.getProvider("SUN");
        UnsuitableRsaProviderException w = assertThrows(UnsuitableRsaProviderException.class,
                () -> SmimeWriter.builder().credentials(FuzzHarness.ALICE)
                        .certificateResolver(TestPki.resolver(FuzzHarness.ALICE, FuzzHarness.BOB))
                        .trustAnchors(FuzzHarness.PKI.anchors()).rsaProvider(sun).build());
        assertEquals("Signature SHA256withRSA", w.missingService());
        UnsuitableRsaProviderException r = assertThrows(UnsuitableRsaProviderException.class,
                () -> SmimeReader.builder().credentials(FuzzHarness.BOB).trustAnchors(FuzzHarness.PKI.anchors())
                        .workDirectory(work).rsaProvider(Security.getProvider("SunRsaSign")).build());
        assertEquals("Cipher RSA/ECB/PKCS1Padding", r.missingService());
        for (RuntimeException e : List.of(w, r)) {
            assertFalse(e.getMessage().contains("PRIVATE") || e.getMessage().contains("BEGIN"), e.getMessage());
        }
    }

    /** The checked provider does the work: a round trip in both profiles on a provider that passed the check. */
    @Test
    void checkedProviderSignsAndDecryptsInBothProfiles() throws Exception {
        for (SmimeProfile profile : SmimeProfile.values()) {
            SmimeWriter writer = SmimeWriter.builder().profile(profile).credentials(FuzzHarness.ALICE)
                    .certificateResolver(TestPki.resolver(FuzzHarness.ALICE, FuzzHarness.BOB))
                    .trustAnchors(FuzzHarness.PKI.anchors()).rsaProvider(CertificateChecks.BC).build();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(TestMessages.businessEntity("geprüft, " + profile),
                    TestMessages.headers("alice@kv-safenet.de", "bob@kv-safenet.de"), out);
            SmimeReader reader = SmimeReader.builder().profiles(profile).credentials(FuzzHarness.BOB)
                    .trustAnchors(FuzzHarness.PKI.anchors()).intermediates(List.of(FuzzHarness.PKI.userCaCertificate()))
                    .workDirectory(work).rsaProvider(CertificateChecks.BC).build();
            try (DecryptedMessage m = reader.read(new ByteArrayInputStream(out.toByteArray()))) {
                assertEquals(VerificationStatus.VALID, m.verification().status(), profile + ": " + m.verification().detail());
            }
        }
    }
}
