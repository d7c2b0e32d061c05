package io.github.camelkvconnect.emulator;

import static io.github.camelkvconnect.emulator.RestClient.segment;
import static io.github.camelkvconnect.emulator.RestClient.texts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchScope;

/** With --data-dir, messages, accounts, passwords, CAs, certificates and the directory survive a restart. */
class PersistenceTest {

    static final String PW = "Secret12AB";

    @TempDir
    Path dataDir;

    private KvConnectEmulator start() {
        return KvConnectEmulator.builder().dataDir(dataDir)
                .account(EmulatorAccount.ready("alice", PW))
                .account(EmulatorAccount.ready("bob", PW))
                .start();
    }

    @Test
    void everythingSurvivesARestart() throws Exception {
        String first = Messages.newMessageId();
        String second = Messages.newMessageId();
        byte[] firstRaw = Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", first, "first");
        String bobUid;
        String tlsPem;
        X509Certificate root;
        X509Certificate userCa;
        X509Certificate aliceCert;
        try (KvConnectEmulator emulator = start()) {
            bobUid = emulator.admin().uid("bob");
            RestClient alice = new RestClient(emulator).basic("alice", PW);
            assertEquals(200, alice.post("mails", firstRaw).statusCode());
            assertEquals(200, alice.post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", second, "2")).statusCode());
            assertEquals(204, new RestClient(emulator).basic("bob", PW).post("accounts/" + bobUid + "/password", "NewSecret34CD").statusCode());
            emulator.admin().createAccount(EmulatorAccount.ready("carl", PW));
            aliceCert = emulator.admin().issueCertificate("alice", Csrs.rsa(2048).getPublic());
            tlsPem = emulator.tlsCaCertificatePem();
            root = emulator.rootCaCertificate();
            userCa = emulator.userCaCertificate();
            assertTrue(Files.exists(dataDir.resolve("pki/tls-ca.crt.pem")));
            assertEquals(dataDir.resolve("pki/tls-ca.crt.pem"), emulator.tlsCaCertificateFile().orElseThrow());
        }
        assertTrue(Files.readString(dataDir.resolve("accounts.json")).contains("pbkdf2$"));
        assertTrue(!Files.readString(dataDir.resolve("accounts.json")).contains("NewSecret34CD"), "no clear passwords on disk");

        try (KvConnectEmulator emulator = start()) {
            assertEquals(tlsPem, emulator.tlsCaCertificatePem(), "the same TLS CA, so clients keep trusting it");
            assertEquals(root, emulator.rootCaCertificate());
            assertEquals(userCa, emulator.userCaCertificate());
            assertEquals(bobUid, emulator.admin().uid("bob"));
            assertEquals(List.of("alice", "bob", "carl"), emulator.admin().usernames());

            assertEquals(401, new RestClient(emulator).basic("bob", PW).get("accounts/" + bobUid).statusCode());
            RestClient bob = new RestClient(emulator).basic("bob", "NewSecret34CD");
            assertEquals(List.of(first, second), texts(bob.get("accounts/" + bobUid + "/headers").body(), "message-id"));
            assertArrayEquals(firstRaw, bob.getBytes("accounts/" + bobUid + "/mails/" + segment(first)).body());

            // new deliveries are ordered after the stored ones; deletions persist
            String third = Messages.newMessageId();
            new RestClient(emulator).basic("alice", PW)
                    .post("mails", Messages.message("alice@kv-safenet.de", "bob@kv-safenet.de", third, "3"));
            assertEquals(204, bob.delete("accounts/" + bobUid + "/mails/" + segment(first)).statusCode());
            assertEquals(List.of(second, third), texts(bob.get("accounts/" + bobUid + "/headers").body(), "message-id"));

            assertEquals(aliceCert, emulator.admin().certificate("alice").orElseThrow());
            try (LDAPConnection ldap = Ldap.plain(emulator)) {
                assertArrayEquals(aliceCert.getEncoded(), ldap.search(emulator.ldapBaseDn(), SearchScope.SUB, "(cn=alice)")
                        .getSearchEntries().get(0).getAttributeValueBytes("userCertificate;binary"));
            }
        }

        try (KvConnectEmulator emulator = start()) {
            RestClient bob = new RestClient(emulator).basic("bob", "NewSecret34CD");
            assertEquals(2, texts(bob.get("accounts/" + bobUid + "/headers").body(), "message-id").size());
        }
    }

    @Test
    void withoutDataDirNothingIsKept() {
        X509Certificate firstRoot;
        try (KvConnectEmulator emulator = KvConnectEmulator.builder().start()) {
            firstRoot = emulator.rootCaCertificate();
            assertTrue(emulator.dataDir().isEmpty());
        }
        try (KvConnectEmulator emulator = KvConnectEmulator.builder().start()) {
            assertNotEquals(firstRoot, emulator.rootCaCertificate());
        }
    }
}
