package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.camelkvconnect.emulator.junit.KvConnectEmulatorExtension;

class KvConnectEmulatorExtensionTest {

    @RegisterExtension
    static KvConnectEmulatorExtension extension = KvConnectEmulatorExtension.builder()
            .account(EmulatorAccount.ready("praxis.ext", "Secret12AB"))
            .configure(b -> b.csrProcessing(CsrProcessing.IMMEDIATE))
            .build();

    @Test
    void injectsARunningEmulatorAndItsAdmin(KvConnectEmulator emulator, EmulatorAdmin admin) {
        assertSame(extension.emulator(), emulator);
        assertSame(emulator.admin(), admin);
        assertTrue(emulator.restBaseUri().toString().matches("https://localhost:\\d+/kvconnect/rest/"));
        assertEquals(admin.uid("praxis.ext"), admin.uid("PRAXIS.EXT"));

        HttpResponse<String> account = new RestClient(emulator).basic("praxis.ext", "Secret12AB")
                .get("accounts/" + admin.uid("praxis.ext"));
        assertEquals(200, account.statusCode(), account.body());
        assertEquals("praxis.ext@kv-safenet.de", RestClient.text(account.body(), "email"));
    }

    @org.junit.jupiter.api.Nested
    class Nested {
        @Test
        void nestedClassesShareTheEmulator(KvConnectEmulator emulator) {
            assertSame(extension.emulator(), emulator);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void stillRunningAfterNestedClasses() {
        assertEquals(200, new RestClient(extension.emulator()).get("server/version").statusCode());
    }
}
