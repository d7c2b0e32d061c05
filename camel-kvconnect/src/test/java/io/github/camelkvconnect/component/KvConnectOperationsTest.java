package io.github.camelkvconnect.component;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.component.directory.DirectoryEntry;
import io.github.camelkvconnect.component.rest.KvConnectRestException;
import io.github.camelkvconnect.component.support.EmulatorFixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Producer operations other than send, against the emulator over HTTPS and LDAPS. */
class KvConnectOperationsTest extends CamelTestSupport {

    @RegisterExtension
    static final EmulatorFixture kvc = EmulatorFixture.perTestClass();

    static EmulatorFixture.Account alice;
    static EmulatorFixture.Account bob;

    @BeforeAll
    static void createAccounts() {
        alice = kvc.account("ops.alice");
        bob = kvc.account("ops.bob");
    }

    private String uri(String options) {
        return kvc.uri(alice, kvc.dir().resolve("state"), options);
    }

    @Test
    void serverVersion() {
        String version = template.requestBody(uri("operation=serverVersion"), null, String.class);
        assertFalse(version.isBlank());
    }

    @Test
    void getCertificateOfAnotherAccountAndOfANonExistingOne() {
        X509Certificate cert = template.requestBodyAndHeader(uri("operation=getCertificate"), null,
                KvConnectConstants.CERTIFICATE_ADDRESS, bob.address(), X509Certificate.class);
        assertEquals(bob.certificate(), cert);
        Object none = template.requestBodyAndHeader(uri("operation=getCertificate"), null,
                KvConnectConstants.CERTIFICATE_ADDRESS, "nobody.here@kv-safenet.de");
        assertNull(none);
    }

    @Test
    void searchDirectoryByNameCityAndMail() {
        @SuppressWarnings("unchecked")
        List<DirectoryEntry> byName = template.requestBodyAndHeader(uri("operation=searchDirectory"), null,
                KvConnectConstants.SEARCH_NAME, "ops.", List.class);
        assertEquals(2, byName.size());
        @SuppressWarnings("unchecked")
        List<DirectoryEntry> byMail = template.requestBodyAndHeaders(uri("operation=searchDirectory"), null,
                Map.of(KvConnectConstants.SEARCH_MAIL, bob.address(), KvConnectConstants.SEARCH_CITY, "Berl"), List.class);
        assertEquals(1, byMail.size());
        assertEquals(bob.address(), byMail.get(0).mail());
        assertEquals(List.of(bob.certificate()), byMail.get(0).certificates());
    }

    @Test
    void searchDirectoryEscapesFilterInjection() {
        for (String evil : new String[] { "*)(mail=*", "*", "\\2a", "ops.bob@kv-safenet.de)(|(mail=*" }) {
            @SuppressWarnings("unchecked")
            List<DirectoryEntry> result = template.requestBodyAndHeader(uri("operation=searchDirectory"), null,
                    KvConnectConstants.SEARCH_MAIL, evil, List.class);
            assertTrue(result.isEmpty(), "must match nothing: " + evil);
        }
        @SuppressWarnings("unchecked")
        List<DirectoryEntry> byName = template.requestBodyAndHeader(uri("operation=searchDirectory"), null,
                KvConnectConstants.SEARCH_NAME, "*)(sn=*", List.class);
        assertTrue(byName.isEmpty());
    }

    @Test
    void changePasswordEnforcesThePolicyWithoutLeakingIt() {
        kvc.bareAccount("ops.carol");
        String carol = kvc.uri("ops.carol", kvc.dir().resolve("none.p12"), kvc.dir().resolve("state"), "operation=changePassword");
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody(carol, "weakpw-secret-value"));
        KvConnectRestException rest = assertInstanceOf(KvConnectRestException.class, e.getCause());
        assertTrue(rest.getHttpResponseCode() == 400 || rest.getHttpResponseCode() == 422);
        assertFalse(rest.getMessage().contains("weakpw-secret-value"));
        assertFalse(rest.getMessage().contains(EmulatorFixture.PASSWORD));
        // a refused password must not stay in the failed exchange either (dead letter channels store the body)
        org.apache.camel.Exchange failed = template.request(carol, x -> x.getMessage().setBody("weakpw-secret-value"));
        assertInstanceOf(KvConnectRestException.class, failed.getException());
        assertNull(failed.getMessage().getBody(), "the refused password does not stay in the failed exchange");

        Object body = template.requestBody(carol, "NewSecret34CD");
        assertNull(body, "the password does not stay in the exchange");
        // the old password no longer works, the new one does
        assertThrows(CamelExecutionException.class,
                () -> template.requestBody(kvc.uri("ops.carol", kvc.dir().resolve("none.p12"), kvc.dir().resolve("state"),
                        "operation=getCertificate"), (Object) null));
        String newUri = kvc.uri("ops.carol", kvc.dir().resolve("none.p12"), kvc.dir().resolve("state"), "operation=getCertificate")
                .replace("RAW(" + EmulatorFixture.PASSWORD + ")", "RAW(NewSecret34CD)");
        assertNull(template.requestBody(newUri, (Object) null));
    }

    @Test
    void wrongPasswordGivesATyped401WithoutCredentials() {
        String wrong = uri("operation=getCertificate").replace("RAW(" + EmulatorFixture.PASSWORD + ")", "RAW(Wrong99XYpw)");
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBody(wrong, (Object) null));
        KvConnectRestException rest = assertInstanceOf(KvConnectRestException.class, e.getCause());
        assertEquals(401, rest.getHttpResponseCode());
        assertFalse(rest.getMessage().contains("Wrong99XYpw"));
        assertTrue(rest.getMessage().contains("certificates?email="), rest.getMessage());
    }
}
