package io.github.camelkvconnect.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import io.github.camelkvconnect.emulator.EmulatorAccount;

/**
 * The demo's configuration: the built-in {@code application.properties} (classpath), overridden by an optional
 * {@code --config} file, overridden by JVM system properties, overridden by {@code --data-dir}.
 */
final class DemoSettings {

    static final String SERVER_URL = "kvconnect.server-url";
    static final String TLS_TRUST_ANCHORS = "kvconnect.tls-trust-anchors";
    static final String SMIME_TRUST_ANCHORS = "kvconnect.smime-trust-anchors";
    static final String EMULATOR_REST_PORT = "kvconnect.emulator.rest-port";
    static final String DATA_DIR = "demo.data-dir";
    static final String POLL_DELAY = "demo.poll-delay-ms";
    static final String ONCE_TIMEOUT = "demo.once-timeout-seconds";

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}@[A-Za-z0-9.-]+");

    private final Properties properties;
    private final Path dataDir;

    private DemoSettings(Properties properties, Path dataDir) {
        this.properties = properties;
        this.dataDir = dataDir;
    }

    /**
     * @throws DemoException if the config file cannot be read or a value is invalid (the message names the key)
     */
    static DemoSettings load(DemoOptions options) {
        Properties p = new Properties();
        try (InputStream in = DemoSettings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new DemoException("application.properties is missing from the demo's classpath: rebuild the demo");
            }
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DemoException("Cannot read the built-in application.properties: " + e.getMessage(), e);
        }
        if (options.configFile() != null) {
            try (Reader in = Files.newBufferedReader(options.configFile(), StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new DemoException("Cannot read the config file " + options.configFile().toAbsolutePath()
                                        + " given with --config: " + e.getMessage(), e);
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("kvconnect.") || key.startsWith("demo.") || key.startsWith("camel.")) {
                p.setProperty(key, System.getProperty(key));
            }
        }
        Path dataDir = options.dataDir() != null ? options.dataDir() : Path.of(required(p, DATA_DIR));
        return new DemoSettings(p, dataDir.toAbsolutePath().normalize());
    }

    /** @return the server URL, or null for the embedded emulator */
    String serverUrl() {
        return optional(SERVER_URL);
    }

    boolean embeddedEmulator() {
        return serverUrl() == null;
    }

    String tlsTrustAnchors() {
        return optional(TLS_TRUST_ANCHORS);
    }

    String smimeTrustAnchors() {
        String anchors = optional(SMIME_TRUST_ANCHORS);
        if (anchors == null) {
            throw new DemoException(SMIME_TRUST_ANCHORS + " is not set: with a real server (" + SERVER_URL
                                    + ") name the PEM file(s) of the CAs that sign the practices' certificates "
                                    + "(e.g. the KV root and user CA), comma-separated");
        }
        return anchors;
    }

    int emulatorRestPort() {
        return integer(EMULATOR_REST_PORT, 0);
    }

    Path dataDir() {
        return dataDir;
    }

    long pollDelayMillis() {
        return integer(POLL_DELAY, 1000);
    }

    Duration onceTimeout() {
        return Duration.ofSeconds(integer(ONCE_TIMEOUT, 60));
    }

    /** The two practices: a sends to b and b to a. */
    List<Practice> practices() {
        return List.of(practice("a"), practice("b"));
    }

    /** The {@code camel.*} properties, handed to Camel Main so that a --config file can tune Camel too. */
    Properties camelProperties() {
        Properties camel = new Properties();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("camel.")) {
                camel.setProperty(key, properties.getProperty(key));
            }
        }
        return camel;
    }

    /**
     * The account of a practice as the embedded emulator registers it: the credentials plus the master data (name,
     * practice, city) that the emulator's CA writes into the certificate. Ready: no password change needed first.
     */
    EmulatorAccount emulatorAccount(Practice practice) {
        String prefix = "demo.practice-" + practice.id() + ".";
        String surname = optionalOr(prefix + "surname", practice.username());
        return EmulatorAccount.builder().username(practice.username()).password(practice.password())
                .passwordChangeNeeded(false)
                .givenName(optional(prefix + "given-name")).surname(surname)
                .organisation(optionalOr(prefix + "organisation", "Praxis " + surname))
                .city(optional(prefix + "city")).kv("72").build();
    }

    private Practice practice(String id) {
        String prefix = "demo.practice-" + id + ".";
        String address = required(properties, prefix + "address");
        if (!ADDRESS.matcher(address).matches()) {
            throw new DemoException(prefix + "address '" + address + "' is not a KV-Connect address such as "
                                    + "praxis.mueller@kv-safenet.de");
        }
        String username = address.substring(0, address.indexOf('@'));
        return new Practice(id, address, username, required(properties, prefix + "password"),
                required(properties, prefix + "pin"), dataDir.resolve(username));
    }

    private String optional(String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String optionalOr(String key, String defaultValue) {
        String value = optional(key);
        return value != null ? value : defaultValue;
    }

    private int integer(String key, int defaultValue) {
        String value = optional(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DemoException(key + " must be a whole number, not '" + value + "'", e);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new DemoException(key + " is not set: add it to the --config file or pass -D" + key + "=...");
        }
        return value.strip();
    }
}
