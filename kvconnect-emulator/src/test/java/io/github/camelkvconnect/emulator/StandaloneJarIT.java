package io.github.camelkvconnect.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, forked with {@code java -jar}: --help, and a real start that serves HTTPS with the printed CA. */
class StandaloneJarIT {

    @TempDir
    Path dir;

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("emulator.jar")));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void helpWorks() throws Exception {
        Process process = new ProcessBuilder(command("--help")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("--data-dir") && output.contains("--accounts"), output);
    }

    @Test
    void startsServesAndStops() throws Exception {
        Path accounts = Files.writeString(dir.resolve("accounts.json"),
                "[{\"username\": \"jar.user\", \"password\": \"Initial1xy\"}]");
        Process process = new ProcessBuilder(command("--rest-port", "0", "--ldap-port", "0", "--ldaps-port", "0",
                "--data-dir", dir.resolve("data").toString(), "--accounts", accounts.toString()))
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String printed = CompletableFuture.supplyAsync(() -> {
                StringBuilder sb = new StringBuilder();
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        sb.append(line).append('\n');
                        if (line.trim().startsWith("Data")) {
                            break;
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return sb.toString();
            }).get(60, TimeUnit.SECONDS);
            Matcher rest = Pattern.compile("REST API\\s+(\\S+)").matcher(printed);
            Matcher ca = Pattern.compile("TLS CA PEM\\s+(\\S+)").matcher(printed);
            assertTrue(rest.find() && ca.find(), printed);

            HttpClient client = HttpClient.newBuilder()
                    .sslContext(TestTls.trustingPem(Files.readString(Path.of(ca.group(1))))).build();
            HttpResponse<String> version = client.send(HttpRequest.newBuilder(URI.create(rest.group(1) + "server/version")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, version.statusCode());
            assertEquals("2.7.0", version.body());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the emulator stops on SIGTERM");
        }
    }
}
