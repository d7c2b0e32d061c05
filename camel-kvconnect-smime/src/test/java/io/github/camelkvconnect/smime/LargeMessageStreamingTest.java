package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 1 GiB through sign+encrypt and decrypt+verify in a forked JVM limited to 256 MiB of heap. */
class LargeMessageStreamingTest {

    @TempDir
    Path work;

    @Test
    void oneGibibyteWithASmallHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LargeMessageMain.class.getName(), work.toString(), Long.toString(1L << 30)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the forked JVM did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("OK: 1073741824 bytes"), output);
    }
}
