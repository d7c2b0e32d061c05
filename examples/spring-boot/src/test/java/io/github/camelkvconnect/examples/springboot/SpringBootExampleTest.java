package io.github.camelkvconnect.examples.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.camelkvconnect.emulator.KvConnectEmulator;
import io.github.camelkvconnect.emulator.junit.KvConnectEmulatorExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two practices, each an instance of the example application configured only by its application.yaml and the
 * environment variables the README names, exchange a file through the embedded KV-Connect emulator.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringBootExampleTest {

    @RegisterExtension
    static KvConnectEmulatorExtension kvc = KvConnectEmulatorExtension.builder().build();

    @TempDir
    static Path dir;

    static final String PRAXIS = "praxis.mueller";
    static final String LABOR = "labor.schmidt";

    static ConfigurableApplicationContext praxis;
    static ConfigurableApplicationContext labor;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startBothPractices(KvConnectEmulator emulator) throws Exception {
        TestAccounts accounts = new TestAccounts(emulator, dir);
        accounts.create(PRAXIS, home(PRAXIS));
        accounts.create(LABOR, home(LABOR));
        praxis = start(emulator, accounts, PRAXIS);
        labor = start(emulator, accounts, LABOR);
    }

    /** Starts the application the way the README does, with the environment variables as arguments. */
    private static ConfigurableApplicationContext start(KvConnectEmulator emulator, TestAccounts accounts,
                                                        String username) {
        return new SpringApplicationBuilder(KvConnectExampleApplication.class)
                .main(KvConnectExampleApplication.class).run(
                "--KVC_SERVER_URL=" + emulator.restBaseUri(),
                "--KVC_USERNAME=" + username,
                "--KVC_PASSWORD=" + TestAccounts.PASSWORD,
                "--KVC_PIN=" + TestAccounts.PIN,
                "--KVC_HOME=" + home(username),
                "--KVC_TLS_CA=" + accounts.tlsAnchors(),
                "--KVC_SMIME_CAS=" + accounts.smimeAnchors(),
                "--KVC_POLL_DELAY=200",
                "--KVC_HTTP_PORT=0");
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { praxis, labor }) {
            if (context != null) {
                context.close();
            }
        }
    }

    static Path home(String username) {
        return dir.resolve(username);
    }

    @Test
    void fileInTheOutboxArrivesDecryptedAndVerifiedInTheOtherInbox(KvConnectEmulator emulator) throws Exception {
        byte[] letter = ("%PDF-1.4\nBefund " + UUID.randomUUID() + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        Path sent = drop(home(PRAXIS).resolve("outbox").resolve(LABOR + "@kv-safenet.de"), "befund.pdf", letter);

        Path folder = await("the message folder in the laboratory's inbox", () -> onlyFolder(home(LABOR).resolve("inbox")));
        assertThat(folder.resolve("attachments/befund.pdf")).hasBinaryContent(letter);
        assertThat(folder.resolve("message.eml")).content(StandardCharsets.ISO_8859_1).contains("befund.pdf");
        String metadata = Files.readString(folder.resolve("metadata.json"));
        assertThat(JsonPath.<String>read(metadata, "$.signatureStatus")).isEqualTo("VALID");
        assertThat(JsonPath.<Boolean>read(metadata, "$.signatureValid")).isTrue();
        assertThat(JsonPath.<String>read(metadata, "$.from")).isEqualTo(PRAXIS + "@kv-safenet.de");
        assertThat(JsonPath.<String>read(metadata, "$.signerAddress")).isEqualTo(PRAXIS + "@kv-safenet.de");
        assertThat(JsonPath.<String>read(metadata, "$.subject")).isEqualTo("befund.pdf");
        assertThat(JsonPath.<List<String>>read(metadata, "$.attachments")).containsExactly("befund.pdf");
        assertThat(folder.getFileName().toString()).doesNotContain("<", ">");

        // the sender keeps the file in .sent; the receiver's server mailbox is emptied after the folder was written
        await("the sent file in .sent", () -> Files.exists(sent.resolveSibling(".sent").resolve("befund.pdf")) ? true : null);
        await("the laboratory's mailbox emptied", () -> emulator.admin().listMailbox(LABOR).isEmpty() ? true : null);
        assertThat(sent).doesNotExist();
    }

    @Test
    void fileForARecipientWithoutCertificateIsKeptInFailed() throws Exception {
        // no account, no certificate: the producer refuses before anything is sent, the file is kept for a retry
        Path outbox = home(PRAXIS).resolve("outbox").resolve("nobody@kv-safenet.de");
        byte[] content = "Hallo".getBytes(StandardCharsets.UTF_8);
        drop(outbox, "brief.txt", content);
        Path failed = await("the file in .failed",
                () -> Files.exists(outbox.resolve(".failed/brief.txt")) ? outbox.resolve(".failed/brief.txt") : null);
        assertThat(failed).hasBinaryContent(content);
    }

    @Test
    void healthShowsTheKvConnectConsumerOfEachPractice() throws Exception {
        for (var practice : List.of(List.of(praxis, PRAXIS), List.of(labor, LABOR))) {
            ConfigurableApplicationContext context = (ConfigurableApplicationContext) practice.get(0);
            String health = get(context, "/actuator/health");
            assertThat(JsonPath.<String>read(health, "$.components.kvconnect.status")).isEqualTo("UP");
            assertThat(JsonPath.<String>read(health,
                    "$.components.kvconnect.details['kvconnect-consumer-kvconnect-inbox'].account"))
                    .isEqualTo(practice.get(1) + "@kv-safenet.de");
            String readiness = get(context, "/actuator/health/readiness");
            assertThat(JsonPath.<String>read(readiness, "$.components.kvconnect.status")).isEqualTo("UP");
        }
    }

    @Test
    void secretsAreNeitherLoggedNorPlainTextInTheConfiguration(CapturedOutput output) {
        // captured since before both applications started
        assertThat(output.getAll()).contains("Started KvConnectExampleApplication")
                .doesNotContain(TestAccounts.PASSWORD).doesNotContain(TestAccounts.PIN)
                // the secrets are Camel placeholders in application.yaml, so Camel's security policy has nothing to report
                .doesNotContain("SECURITY WARNING");
    }

    /** Writes the file under a hidden name and renames it, as a well-behaved producer of outbox files does. */
    private static Path drop(Path folder, String name, byte[] content) throws Exception {
        Files.createDirectories(folder);
        Path hidden = Files.write(folder.resolve("." + name + ".part"), content);
        return Files.move(hidden, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path onlyFolder(Path inbox) throws Exception {
        if (!Files.isDirectory(inbox)) {
            return null;
        }
        try (Stream<Path> children = Files.list(inbox)) {
            List<Path> folders = children.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            return folders.size() == 1 ? folders.get(0) : null;
        }
    }

    private String get(ConfigurableApplicationContext context, String path) throws Exception {
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls until the probe returns a value (not a fixed sleep): at most 30 s. */
    private static <T> T await(String what, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Timed out waiting for " + what);
    }
}
