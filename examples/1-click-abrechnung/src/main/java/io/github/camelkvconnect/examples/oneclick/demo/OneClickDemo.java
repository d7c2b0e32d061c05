package io.github.camelkvconnect.examples.oneclick.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import io.github.camelkvconnect.component.KvConnectConfiguration;
import io.github.camelkvconnect.examples.oneclick.CorrelationStore;
import io.github.camelkvconnect.examples.oneclick.LieferungStatus;
import io.github.camelkvconnect.examples.oneclick.PracticeRoutes;
import io.github.camelkvconnect.examples.oneclick.PracticeSettings;
import io.github.camelkvconnect.examples.oneclick.simulator.KvSimulatorRoutes;

/**
 * Runs the example.
 * <ul>
 * <li>Without {@code --config}: an embedded KV-Connect emulator with two accounts, the practice
 * ({@value #PRACTICE}) and the KV's receiving office ({@value #KV}, answered by the {@link KvSimulatorRoutes KV
 * simulator}). With {@code --once} a sample billing file is sent and the run ends when both answers are in.</li>
 * <li>With {@code --config FILE}: the practice routes against a real KV-Connect server (no simulator); see the
 * README for the properties.</li>
 * </ul>
 */
public final class OneClickDemo {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final String PRACTICE = "praxis.mueller";
    static final String KV = "abrechnung.test";
    /** A made-up Betriebsstaettennummer (the first two digits are a KV region, 72 = Berlin). */
    static final String BSNR = "721234500";
    private static final Duration ONCE_TIMEOUT = Duration.ofSeconds(60);
    private static final String USAGE_TEXT = """
            Usage: java -jar 1-click-abrechnung.jar [--data-dir DIR] [--once | --config FILE]
              --data-dir DIR  where the practice's folders are kept (default ./1-click-data)
              --once          embedded emulator only: send one sample billing, wait for both answers, exit
              --config FILE   run the practice routes against a real KV-Connect server (properties, see README)""";

    private OneClickDemo() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        Path dataDir = Path.of("1-click-data");
        Path config = null;
        boolean once = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--once" -> once = true;
                case "--data-dir", "--config" -> {
                    if (i + 1 >= args.length) {
                        out.println(args[i] + " needs a value\n" + USAGE_TEXT);
                        return USAGE;
                    }
                    if (args[i].equals("--data-dir")) {
                        dataDir = Path.of(args[++i]);
                    } else {
                        config = Path.of(args[++i]);
                    }
                }
                default -> {
                    out.println((args[i].equals("--help") ? "" : "Unknown option " + args[i] + "\n") + USAGE_TEXT);
                    return args[i].equals("--help") ? OK : USAGE;
                }
            }
        }
        if (once && config != null) {
            out.println("--once sends a sample billing and is only for the embedded emulator, not with --config\n" + USAGE_TEXT);
            return USAGE;
        }
        try {
            return config != null ? realServer(config, dataDir, out) : embedded(dataDir, once, out);
        } catch (Exception e) {
            out.println("ERROR: " + e.getMessage());
            return FAILED;
        }
    }

    private static int embedded(Path dataDir, boolean once, PrintStream out) throws Exception {
        try (EmbeddedKvConnect kvc = EmbeddedKvConnect.start(dataDir.resolve("kvconnect"));
             CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("praxis", kvc.createAccount(PRACTICE));
            camel.getRegistry().bind("kv", kvc.createAccount(KV));
            PracticeSettings settings = PracticeSettings.of(dataDir.resolve("praxis"), BSNR, EmbeddedKvConnect.address(KV))
                    .withTimings(500, 1000);
            camel.addRoutes(new PracticeRoutes(settings, uri(PRACTICE, "praxis")));
            camel.addRoutes(new KvSimulatorRoutes(uri(KV, "kv"), 1000, received -> { }));
            camel.start();
            out.println("1-Click-Abrechnung example on an embedded KV-Connect emulator (" + kvc.emulator().restBaseUri() + ")");
            out.println("  practice " + EmbeddedKvConnect.address(PRACTICE) + " (BSNR " + BSNR + "), folder " + settings.directory());
            out.println("  KV       " + EmbeddedKvConnect.address(KV) + " (answered by the KV simulator)");
            out.println("  drop *.con.xkm files into " + settings.outbox());
            if (once) {
                return once(settings, out);
            }
            awaitCtrlC(camel, out);
            return OK;
        }
    }

    /** Sends a sample billing and waits until the Lieferung is confirmed and has its Rueckmeldung. */
    private static int once(PracticeSettings settings, PrintStream out) throws IOException {
        Files.createDirectories(settings.outbox());
        String name = "Z01" + BSNR + "_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("dd.MM.yyyy_HH.mm.ss"))
                      + ".con.xkm";
        // Stands in for the XKM-encrypted KVDT file: ciphertext looks like random bytes.
        byte[] ciphertext = new byte[4096];
        new SecureRandom().nextBytes(ciphertext);
        Files.writeString(settings.outbox().resolve(name + ".properties"), "testdaten=true\n");
        Path tmp = Files.write(settings.outbox().resolve(".writing-" + name), ciphertext);
        Files.move(tmp, settings.outbox().resolve(name));
        out.println("--once: sample billing " + name + " placed in the outbox");

        CorrelationStore store = new CorrelationStore(settings.lieferungen());
        long deadline = System.nanoTime() + ONCE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<LieferungStatus> status = store.all().stream().filter(s -> s.file().equals(name)).findFirst();
            if (status.isPresent() && status.get().sendError() != null) {
                out.println("--once: FAILED, not sent: " + status.get().sendError());
                return FAILED;
            }
            if (status.isPresent() && status.get().confirmed() && status.get().feedback()) {
                LieferungStatus s = status.get();
                out.println("--once: OK - Lieferung " + s.guid() + " sent as " + s.messageId()
                            + ", Eingangsbestaetigung and Rueckmeldung received");
                out.println("  status: " + store.folder(s.guid()).resolve("status.json"));
                return OK;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        out.println("--once: FAILED, no complete answer within " + ONCE_TIMEOUT.toSeconds() + " s; see " + settings.lieferungen());
        return FAILED;
    }

    private static int realServer(Path config, Path dataDir, PrintStream out) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        KvConnectConfiguration account = new KvConnectConfiguration();
        account.setServerUrl(required(p, "kvconnect.server-url"));
        account.setUsername(required(p, "kvconnect.username"));
        account.setPassword(required(p, "kvconnect.password"));
        account.setKeystoreFile(required(p, "kvconnect.keystore-file"));
        account.setKeystorePassword(required(p, "kvconnect.keystore-password"));
        account.setSmimeTrustAnchors(required(p, "kvconnect.smime-trust-anchors"));
        if (p.getProperty("kvconnect.tls-trust-anchors") != null) {
            account.setTlsTrustAnchors(p.getProperty("kvconnect.tls-trust-anchors"));
        }
        account.setStateDirectory(dataDir.resolve("kvconnect-state").toString());
        String address = required(p, "kvconnect.address");
        PracticeSettings settings = PracticeSettings.of(dataDir, required(p, "oneclick.bsnr"), required(p, "oneclick.kv-address"))
                .withDefaults(p.getProperty("oneclick.quartal"), Boolean.parseBoolean(p.getProperty("oneclick.testdaten", "true")))
                .withTimings(1000, Long.parseLong(p.getProperty("oneclick.poll-seconds", "60")) * 1000);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("praxis", account);
            camel.addRoutes(new PracticeRoutes(settings, "kvconnect:" + address + "?configuration=#praxis"));
            camel.start();
            out.println("1-Click-Abrechnung: practice " + address + " (BSNR " + settings.bsnr() + ") sends to "
                        + settings.kvAddress() + "; drop *.con.xkm files into " + settings.outbox());
            awaitCtrlC(camel, out);
        }
        return OK;
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("The configuration lacks " + key + " (see the README)");
        }
        return v.strip();
    }

    private static String uri(String username, String bean) {
        return "kvconnect:" + EmbeddedKvConnect.address(username) + "?configuration=#" + bean;
    }

    /** Runs until Ctrl-C; the routes are stopped before the JVM exits. */
    private static void awaitCtrlC(CamelContext camel, PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            camel.stop();
            stopped.countDown();
        }));
        out.println("Press Ctrl-C to stop.");
        stopped.await();
    }
}
