package io.github.camelkvconnect.component.state;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leftovers of the old work directory layout ({@code <stateDirectory>/work/msg-<number>}) are removed; nothing else is,
 * no symbolic link is followed, and the log names only the count.
 */
class LegacyWorkLeftoversTest {

    @TempDir
    Path dir;

    @Test
    void removesOnlyOldMessageDirectoriesWithoutFollowingLinksAndLogsOnlyTheCount() throws Exception {
        Path state = dir.resolve("state");
        Path work = state.resolve("work");
        // old layout: one directory per message with the download and decrypted parts
        Path old = Files.createDirectories(work.resolve("msg-8412973645127734551"));
        Files.writeString(old.resolve("in-1.eml"), "raw");
        Files.createDirectories(old.resolve("parts"));
        Files.writeString(old.resolve("parts").resolve("Befund-Mueller.pdf"), "decrypted letter");
        Path oldFile = Files.writeString(work.resolve("msg-42"), "stray");
        // links: to a directory and, inside an old directory, to a file; their targets are not ours
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious.txt"), "keep me");
        Files.createSymbolicLink(old.resolve("link-to-file"), precious);
        Path linkToDirectory = Files.createSymbolicLink(work.resolve("msg-77"), outside);
        // not of the old pattern, and today's layout (which has msg-* one level deeper)
        Path other = Files.writeString(Files.createDirectories(work.resolve("msg-abc")).resolve("x"), "x");
        Path notes = Files.writeString(work.resolve("messages.txt"), "x");
        Path inFlight = WorkDirectories.receive(state, "praxis@kv-safenet.de").resolve("msg-555").resolve("in-2.eml");
        Files.createDirectories(inFlight.getParent());
        Files.writeString(inFlight, "today's layout, in flight");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int removed;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            removed = LegacyWorkLeftovers.remove(state);
        } finally {
            System.setErr(stderr);
        }

        assertEquals(3, removed);
        assertFalse(Files.exists(old, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(oldFile, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(linkToDirectory, LinkOption.NOFOLLOW_LINKS), "the link itself is removed");
        assertEquals("keep me", Files.readString(precious), "a link's target is never touched");
        assertTrue(Files.isDirectory(outside));
        assertTrue(Files.exists(other) && Files.exists(notes) && Files.exists(inFlight));

        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("Removed 3 leftover message work directories"), logged);
        for (String secret : new String[] { "Befund", "msg-8412973645127734551", state.toString(), "precious" }) {
            assertFalse(logged.contains(secret), "the log must not name " + secret + ": " + logged);
        }
    }

    @Test
    void aStateDirectoryWithoutWorkIsFine() {
        assertEquals(0, LegacyWorkLeftovers.remove(dir.resolve("fresh")));
    }
}
