package io.github.camelkvconnect.component;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.github.camelkvconnect.component.support.EmulatorFixture;
import io.github.camelkvconnect.component.support.KvConnectTestSupport;
import io.github.camelkvconnect.component.support.TestKeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's readiness check: server reachable, credentials valid, own certificate present and not expiring. */
class ConsumerHealthCheckTest extends KvConnectTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        HealthCheckRegistry.get(context).setEnabled(true);
        return context;
    }

    private HealthCheck.Result check(String routeId) {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invokeReadiness(context);
        return results.stream().filter(r -> r.getCheck().getId().equals("kvconnect-consumer-" + routeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no kvconnect health check among "
                                                      + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    @Test
    void upWhenReachableAuthenticatedAndCertified() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state("bob"), "delay=60000")).routeId("ok").to("mock:x");
            }
        });
        HealthCheck.Result result = check("ok");
        assertEquals(HealthCheck.State.UP, result.getState(), () -> result.getMessage().orElse(""));
        assertTrue(result.getDetails().containsKey("certificateNotAfter"));
        assertEquals(0, result.getDetails().get("quarantinedCount"));
        assertFalse(result.getDetails().containsKey("quarantinedMessageIds"));
    }

    @Test
    void downWithHttpStatusWhenCredentialsAreRefused() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String uri = kvc.uri(bob, state("bob"), "delay=60000").replace("RAW(" + EmulatorFixture.PASSWORD + ")", "RAW(Wrong00XXyy)");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("badpw").to("mock:x");
            }
        });
        HealthCheck.Result result = check("badpw");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertEquals(401, result.getDetails().get(HealthCheck.HTTP_RESPONSE_CODE));
        assertTrue(result.getMessage().orElse("").contains("credentials"));
        assertTrue(!result.getMessage().orElse("").contains("Wrong00XXyy"));
    }

    @Test
    void downWhenTheOwnCertificateIsNotPresent() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Path missing = testDir.resolve("not-yet-requested.p12");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob.username(), missing, state("bob"), "delay=60000")).routeId("nocert").to("mock:x");
            }
        });
        HealthCheck.Result result = check("nocert");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        String message = result.getMessage().orElse("");
        assertTrue(message.contains(missing.toString()) && message.contains("does not exist")
                   && message.contains("requestCertificate"), message);
        assertEquals(missing.toString(), result.getDetails().get("keystore"));
    }

    @Test
    void downNamingTheFileButNotThePinWhenTheKeystoreDoesNotOpen() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        String wrongPin = "pin-0000-wrong";
        String uri = kvc.uri(bob, state("bob"), "delay=60000")
                .replace("RAW(" + EmulatorFixture.PIN + ")", "RAW(" + wrongPin + ")");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("wrongpin").to("mock:x");
            }
        });
        HealthCheck.Result result = check("wrongpin");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        String message = result.getMessage().orElse("");
        assertTrue(message.contains(bob.keystore().toString()) && message.contains("wrong PIN"), message);
        assertFalse(message.contains(wrongPin) || message.contains(EmulatorFixture.PIN), message);
    }

    @Test
    void downWhenTheOwnCertificateHasExpired() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        Instant now = Instant.now();
        X509Certificate expired = certificate(bob.keys(), "CN=" + bob.username(), now.minus(Duration.ofDays(400)),
                now.minus(Duration.ofDays(35)));
        Path keystore = TestKeys.keystore(testDir.resolve("expired.p12"), bob.keys().getPrivate(), List.of(expired),
                EmulatorFixture.PIN);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the warning window is short: the certificate is past it, not within it
                from(kvc.uri(bob.username(), keystore, state("bob"), "delay=60000&certificateExpiryWarningDays=30"))
                        .routeId("expired").to("mock:x");
            }
        });
        HealthCheck.Result result = check("expired");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        assertTrue(result.getMessage().orElse("").contains("expired on"), result.getMessage().orElse(""));
        assertEquals(expired.getNotAfter().toInstant().toString(), result.getDetails().get("certificateNotAfter"));
    }

    private static X509Certificate certificate(KeyPair keys, String subject, Instant from, Instant to) throws Exception {
        X500Name name = new X500Name(subject);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(from.toEpochMilli()), Date.from(from), Date.from(to), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    @Test
    void downWhenTheOwnCertificateExpiresSoon() throws Exception {
        EmulatorFixture.Account bob = kvc.account(unique("bob"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kvc.uri(bob, state("bob"), "delay=60000&certificateExpiryWarningDays=36500")).routeId("expiring").to("mock:x");
            }
        });
        HealthCheck.Result result = check("expiring");
        assertEquals(HealthCheck.State.DOWN, result.getState());
        String message = result.getMessage().orElse("");
        assertTrue(message.contains("expires on " + bob.certificate().getNotAfter().toInstant())
                   && message.contains("within 36500 days") && message.contains("requestCertificate"), message);
    }
}
