package io.github.camelkvconnect.component.mime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
