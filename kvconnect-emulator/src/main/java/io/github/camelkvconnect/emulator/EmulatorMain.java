package io.github.camelkvconnect.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry point: {@code java -jar kvconnect-emulator-<version>-standalone.jar [options]}. Starts the emulator, prints
 * where REST, LDAP, LDAPS and the TLS CA PEM are, and runs until the process is stopped (Ctrl-C / SIGTERM).
 */
public final class EmulatorMain {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar kvconnect-emulator-<version>-standalone.jar [options]",
            "",
            "A fake-but-faithful KV-Connect server (REST API 2.7 over HTTPS, LDAP directory, Root/User CA).",
            "",
            "Options:",
            "  --rest-port N            HTTPS (REST + admin API) port, default 8443 (0 = free port)",
            "  --ldap-port N            LDAP port, default 10389 (0 = free port)",
            "  --ldaps-port N           LDAPS port, default 10636 (0 = free port)",
            "  --bind ADDRESS           listen address, default 127.0.0.1",
            "  --data-dir DIR           keep accounts, messages, CAs and directory in DIR (default: in memory)",
            "  --accounts FILE          create the accounts of this YAML or JSON file at start",
            "  --admin-user NAME        admin API username, default admin",
            "  --admin-password PASS    admin API password, default: random, printed at start",
            "  --plain-http             serve plain HTTP instead of HTTPS (only for debugging)",
            "  --max-message-size N     largest accepted request body in bytes, default 33554432",
            "  --certificate-days N     validity of issued user certificates in days, default 730",
            "  --csr-processing MODE    per-poll (default: one step per status poll) or immediate",
            "  --token-minutes N        bearer token lifetime in minutes, default 30",
            "  --crl-days N             validity (nextUpdate) of the Root and User CA CRLs in days, default 7",
            "  --crl-distribution-points",
            "                           put the User CA CRL URL (/crl/user-ca.crl) into newly issued user",
            "                           certificates (real KV-Connect certificates have no such extension)",
            "  --help                   show this help",
            "",
            "Revocation: POST /admin/revocations {\"username\": \"...\", \"reason\": \"keyCompromise\"} revokes a",
            "user's certificate; the CRLs are served at /crl/user-ca.crl and /crl/root-ca.crl (DER, no login)",
            "and, with --data-dir, written to DIR/pki/user-ca.crl and DIR/pki/root-ca.crl.");

    private EmulatorMain() {
    }

    /**
     * @param args command line arguments
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err, true);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Parses the arguments and starts the emulator.
     *
     * @param args  the arguments
     * @param out   where to print the addresses and help
     * @param err   where to print errors
     * @param block whether to wait until the JVM shuts down (false: stop right after start, for tests)
     * @return the exit code: 0 ok, 2 bad arguments, 1 start failure
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        KvConnectEmulator.Builder builder = KvConnectEmulator.builder().restPort(8443).ldapPort(10389).ldapsPort(10636);
        String adminUser = "admin";
        String adminPassword = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--rest-port" -> builder.restPort(port(args, ++i, arg));
                    case "--ldap-port" -> builder.ldapPort(port(args, ++i, arg));
                    case "--ldaps-port" -> builder.ldapsPort(port(args, ++i, arg));
                    case "--bind" -> builder.bindAddress(java.net.InetAddress.getByName(value(args, ++i, arg)));
                    case "--data-dir" -> builder.dataDir(Path.of(value(args, ++i, arg)));
                    case "--accounts" -> builder.accountsFile(Path.of(value(args, ++i, arg)));
                    case "--admin-user" -> adminUser = value(args, ++i, arg);
                    case "--admin-password" -> adminPassword = value(args, ++i, arg);
                    case "--plain-http" -> builder.plainHttp(true);
                    case "--max-message-size" -> builder.maxMessageSize(number(args, ++i, arg));
                    case "--certificate-days" -> builder.certificateValidity(Duration.ofDays(number(args, ++i, arg)));
                    case "--token-minutes" -> builder.tokenLifetime(Duration.ofMinutes(number(args, ++i, arg)));
                    case "--crl-days" -> builder.crlValidity(Duration.ofDays(positive(args, ++i, arg)));
                    case "--crl-distribution-points" -> builder.crlDistributionPoints(true);
                    case "--csr-processing" -> builder.csrProcessing(switch (value(args, ++i, arg).toLowerCase(Locale.ROOT)) {
                        case "per-poll" -> CsrProcessing.ONE_STEP_PER_POLL;
                        case "immediate" -> CsrProcessing.IMMEDIATE;
                        default -> throw new IllegalArgumentException("--csr-processing must be per-poll or immediate");
                    });
                    default -> throw new IllegalArgumentException("Unknown option " + arg);
                }
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("Error: " + e.getMessage());
            err.println("Run with --help for the options.");
            return 2;
        }
        boolean randomAdminPassword = adminPassword == null;
        if (!randomAdminPassword) {
            builder.adminCredentials(adminUser, adminPassword);
        }
        KvConnectEmulator emulator;
        try {
            emulator = builder.start();
        } catch (EmulatorException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        }
        try {
            Path caFile = emulator.tlsCaCertificateFile().orElseGet(() -> tempCaFile(emulator));
            out.println("KV-Connect emulator running");
            out.println("  REST API     " + emulator.restBaseUri());
            out.println("  Address book " + emulator.addressBookUri());
            out.println("  Admin API    " + emulator.adminBaseUri() + "  (user " + emulator.adminCredentials().username()
                    + (randomAdminPassword ? ", password " + emulator.adminCredentials().password() : "") + ")");
            out.println("  LDAP         " + emulator.ldapUri() + "  base " + emulator.ldapBaseDn());
            out.println("  LDAPS        " + emulator.ldapsUri());
            out.println("  TLS CA PEM   " + caFile);
            out.println("  User CA CRL  " + emulator.userCaCrlUri()
                    + emulator.userCaCrlFile().map(f -> "  (file " + f + ")").orElse(""));
            out.println("  Root CA CRL  " + emulator.rootCaCrlUri()
                    + emulator.rootCaCrlFile().map(f -> "  (file " + f + ")").orElse(""));
            out.println("  Data         " + emulator.dataDir().map(Path::toString).orElse("in memory (lost on exit)"));
            out.flush();
            if (block) {
                CountDownLatch stopped = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    emulator.close();
                    stopped.countDown();
                }, "kvc-emulator-shutdown"));
                stopped.await();
            } else {
                emulator.close();
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emulator.close();
            return 0;
        }
    }

    private static Path tempCaFile(KvConnectEmulator emulator) {
        try {
            Path file = Files.createTempFile("kvconnect-emulator-tls-ca-", ".pem");
            file.toFile().deleteOnExit();
            Files.writeString(file, emulator.tlsCaCertificatePem(), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new EmulatorException("Cannot write the TLS CA PEM file: " + e.getMessage(), e);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String[] args, int i, String option) {
        long port = number(args, i, option);
        if (port > 65535) {
            throw new IllegalArgumentException(option + " must be a port number 0-65535");
        }
        return (int) port;
    }

    private static long positive(String[] args, int i, String option) {
        long n = number(args, i, option);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static long number(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a non-negative number, not '" + v + "'");
        }
    }
}
