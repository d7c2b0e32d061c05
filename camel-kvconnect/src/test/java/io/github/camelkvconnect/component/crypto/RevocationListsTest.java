package io.github.camelkvconnect.component.crypto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.camelkvconnect.component.KvConnectCrlException;
import io.github.camelkvconnect.component.support.TestCrls;
import io.github.camelkvconnect.component.support.TestKeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RevocationListsTest {

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static X509Certificate user;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        caKeys = TestKeys.rsa();
        ca = TestKeys.selfSigned(caKeys, "CN=Test CA");
        user = TestKeys.selfSigned(TestKeys.rsa(), "CN=User");
    }

    private Path crl(Path file, X509Certificate... revoked) throws Exception {
        Instant now = Instant.now();
        return TestCrls.writePem(file, ca, caKeys.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                revoked);
    }

    /** Rewrites a file's content with a distinct modification time (coarse file system clocks). */
    private static void touchLater(Path file, FileTime before) throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 60_000));
    }

    @Test
    void noFilesMeansNoCheck() throws Exception {
        RevocationLists none = RevocationLists.of(" , ");
        assertFalse(none.isConfigured());
        assertEquals(List.of(), none.current());
        assertFalse(RevocationLists.of(null).isConfigured());
    }

    @Test
    void readsSeveralFilesAndRereadsOnlyAfterAChange() throws Exception {
        Path a = crl(dir.resolve("a.crl"));
        Path b = crl(dir.resolve("b.crl"));
        RevocationLists lists = RevocationLists.of(a + " , " + b);
        List<X509CRL> loaded = lists.load();
        assertEquals(2, loaded.size());
        assertSame(loaded, lists.current(), "unchanged files are not read again");

        FileTime before = Files.getLastModifiedTime(b);
        crl(b, user);
        touchLater(b, before);
        List<X509CRL> reread = lists.current();
        assertTrue(reread.get(1).getRevokedCertificate(user.getSerialNumber()) != null);
        assertEquals(null, loaded.get(1).getRevokedCertificate(user.getSerialNumber()));
    }

    @Test
    void aBrokenUpdateKeepsTheCrlsReadBeforeUntilItIsFixed() throws Exception {
        Path a = crl(dir.resolve("a.crl"), user);
        RevocationLists lists = RevocationLists.of(a.toString());
        List<X509CRL> loaded = lists.load();

        FileTime before = Files.getLastModifiedTime(a);
        Files.writeString(a, "half-written");
        touchLater(a, before);
        assertSame(loaded, lists.current(), "a broken file must not switch the revocation check off");

        crl(a);
        touchLater(a, FileTime.fromMillis(before.toMillis() + 60_000));
        assertEquals(null, lists.current().get(0).getRevokedCertificate(user.getSerialNumber()), "the fixed file is read");
    }

    @Test
    void startFailsForAMissingOrBrokenFileNamingIt() throws Exception {
        Path missing = dir.resolve("missing.crl");
        KvConnectCrlException e = assertThrows(KvConnectCrlException.class, () -> RevocationLists.of(missing.toString()).load());
        assertEquals(missing, e.getCrlFile());
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());

        Path broken = Files.writeString(dir.resolve("broken.crl"), "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        e = assertThrows(KvConnectCrlException.class, () -> RevocationLists.of(broken.toString()).load());
        assertEquals(broken, e.getCrlFile());
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }
}
