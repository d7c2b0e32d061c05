package io.github.camelkvconnect.component.mime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import java.io.IOException;
import java.nio.file.LinkOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TempFilesTest {

    @TempDir
    Path dir;

    @Test
    void temporaryFilesAreOwnerOnly() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = TempFiles.create(dir, "in-", ".eml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /**
     * The fallback for file systems without POSIX attributes, exercised on a POSIX one (where its effect can be
     * read back): a file readable by everyone ends up owner-only.
     */
    @Test
    void fallbackWithoutPosixAttributesRestrictsToTheOwner() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = Files.createFile(dir.resolve("plain.tmp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-r--")));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        TempFiles.restrictToOwner(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /**
     * Links inside a work directory, and a work directory that is itself a link, are deleted as links: the targets
     * (a directory and a file outside) keep all their content.
     */
    @Test
    void deleteRecursivelyRemovesLinksAsLinksAndNeverTouchesTheirTargets() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Path preciousInside = Files.writeString(Files.createDirectories(outside.resolve("sub")).resolve("deep.txt"), "me too");
        Path lonelyFile = Files.writeString(dir.resolve("lonely.txt"), "and me");
        Path work = Files.createDirectories(dir.resolve("work"));
        Path message = Files.createDirectories(work.resolve("msg-1"));
        Files.writeString(message.resolve("in-1.eml"), "decrypted");
        symlink(message.resolve("link-to-directory"), outside);
        symlink(work.resolve("link-to-file"), lonelyFile);
        Path linkedWork = symlink(dir.resolve("linked-work"), outside);

        TempFiles.deleteRecursively(work);
        TempFiles.deleteRecursively(linkedWork);

        assertFalse(Files.exists(work, LinkOption.NOFOLLOW_LINKS), "the work directory and everything in it is gone");
        assertFalse(Files.exists(linkedWork, LinkOption.NOFOLLOW_LINKS), "a link given itself is removed as a link");
        assertEquals("keep me", Files.readString(precious));
        assertEquals("me too", Files.readString(preciousInside));
        assertEquals("and me", Files.readString(lonelyFile));
        assertTrue(Files.isDirectory(outside, LinkOption.NOFOLLOW_LINKS));
    }

    /** Creates a link, or skips the test where the file system (or the platform's privileges) cannot. */
    private static Path symlink(Path link, Path target) throws IOException {
        try {
            return Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            assumeTrue(false, "the file system cannot create symbolic links: " + e);
            throw e;
        }
    }
}
