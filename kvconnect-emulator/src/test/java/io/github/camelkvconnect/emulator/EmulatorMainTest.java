package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.emulator.store.AccountsFile;

/** The command line: help, argument errors, accounts files and the printed addresses. */
class EmulatorMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EmulatorMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheOptions() {
        assertEquals(0, run("--help"));
        for (String option : List.of("--rest-port", "--ldap-port", "--ldaps-port", "--data-dir", "--accounts", "--plain-http",
                "--crl-days", "--crl-distribution-points", "/admin/revocations", "/crl/user-ca.crl")) {
            assertTrue(out().contains(option), option);
        }
    }

    @Test
    void badArgumentsAreExplained() {
        assertEquals(2, run("--bogus"));
        assertTrue(err().contains("Unknown option --bogus"));
        assertEquals(2, run("--rest-port", "seventy"));
        assertTrue(err().contains("--rest-port needs a non-negative number"));
        assertEquals(2, run("--data-dir"));
        assertTrue(err().contains("--data-dir needs a value"));
        assertEquals(2, run("--crl-days", "0"));
        assertTrue(err().contains("--crl-days must be at least 1"), err());
    }

    @Test
    void startsWithAccountsFileAndDataDirAndPrintsWhereEverythingIs() throws Exception {
        Path accounts = dir.resolve("accounts.yaml");
        Files.writeString(accounts, """
                accounts:
                  - username: praxis.yaml
                    password: Initial1xy
                    title: Dr.
                    givenName: Yara
                    surname: Yaml
                    practice: Praxis Yaml
                    bsnr: "721234500"
                    lanr: "123456601"
                    street: Hauptstr. 1
                    postalCode: "10115"
                    city: Berlin
                    kv: "72"
                """);
        Path data = dir.resolve("data");
        assertEquals(0, run("--rest-port", "0", "--ldap-port", "0", "--ldaps-port", "0", "--data-dir", data.toString(),
                "--accounts", accounts.toString(), "--admin-password", "AdminPass99"), err());
        String printed = out();
        assertTrue(printed.matches("(?s).*REST API\\s+https://localhost:\\d+/kvconnect/rest/.*"), printed);
        assertTrue(printed.matches("(?s).*LDAP\\s+ldap://localhost:\\d+.*"), printed);
        assertTrue(printed.matches("(?s).*LDAPS\\s+ldaps://localhost:\\d+.*"), printed);
        assertTrue(printed.contains("TLS CA PEM   " + data.resolve("pki").resolve("tls-ca.crt.pem")), printed);
        assertTrue(printed.matches("(?s).*User CA CRL\\s+https://localhost:\\d+/crl/user-ca\\.crl  \\(file "
                + java.util.regex.Pattern.quote(data.resolve("pki").resolve("user-ca.crl").toString()) + "\\).*"), printed);
        assertTrue(Files.size(data.resolve("pki").resolve("user-ca.crl")) > 0, "the User CA CRL is written at start");
        assertTrue(Files.size(data.resolve("pki").resolve("root-ca.crl")) > 0, "the Root CA CRL is written at start");
        assertTrue(!printed.contains("AdminPass99"), "a given admin password is not printed");
        assertTrue(Files.readString(data.resolve("accounts.json")).contains("praxis.yaml"));
    }

    @Test
    void unreadableAccountsFileFailsWithAClearMessage() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"username\": \"ok.user\"}]");
        assertEquals(1, run("--rest-port", "0", "--ldap-port", "0", "--ldaps-port", "0", "--accounts", broken.toString()));
        assertTrue(err().contains("account #1") && err().contains("password"), err());
    }

    @Test
    void accountsFileFormats() throws Exception {
        Path json = dir.resolve("a.json");
        Files.writeString(json, "[{\"username\": \"j.one\", \"password\": \"Pw12ABcd\", \"passwordChangeNeeded\": false, \"city\": \"Köln\"}]");
        List<EmulatorAccount> accounts = AccountsFile.read(json);
        assertEquals("j.one", accounts.get(0).username());
        assertEquals(false, accounts.get(0).passwordChangeNeeded());
        assertEquals("Köln", accounts.get(0).city());

        Path yaml = dir.resolve("a.yml");
        Files.writeString(yaml, "- username: y.one\n  password: Pw12ABcd\n");
        assertEquals(true, AccountsFile.read(yaml).get(0).passwordChangeNeeded(), "file accounts start with passwordChangeNeeded");

        Path scalar = dir.resolve("s.json");
        Files.writeString(scalar, "42");
        assertThrows(EmulatorException.class, () -> AccountsFile.read(scalar));
        assertThrows(EmulatorException.class, () -> AccountsFile.read(dir.resolve("missing.yaml")));
    }
}
