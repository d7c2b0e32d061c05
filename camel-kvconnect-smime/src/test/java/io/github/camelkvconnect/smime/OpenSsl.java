package io.github.camelkvconnect.smime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command line, the independent peer of the interoperability tests. */
final class OpenSsl {

    /** Exit code and the combined stderr+stdout text of one run. */
    record Result(int exit, String output) {
    }

    private OpenSsl() {
    }

    /** Runs {@code openssl args...} in {@code dir}; fails the test with an install hint if openssl is missing. */
    static Result run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(Arrays.asList(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("openssl is required for the interoperability tests but cannot be started: " + e.getMessage()
                 + " (install it, e.g. apt-get install openssl)");
            throw e;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl did not finish");
        return new Result(p.exitValue(), output);
    }
}
