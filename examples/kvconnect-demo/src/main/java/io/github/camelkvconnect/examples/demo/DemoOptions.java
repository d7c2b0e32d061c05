package io.github.camelkvconnect.examples.demo;

import java.nio.file.Path;

/** The command line of the demo. */
record DemoOptions(boolean once, boolean help, Path dataDir, Path configFile) {

    static final String USAGE = """
            Usage: java -jar kvconnect-demo.jar [--once] [--data-dir DIR] [--config FILE]

              --once           send one sample eArztbrief, wait for its Eingangsbestaetigung (MDN), exit 0 (1 on failure)
              --data-dir DIR   where outbox/inbox folders, keystores and the emulator's data live
                               (default: demo.data-dir, i.e. ./kvconnect-demo-data)
              --config FILE    a properties file overriding the built-in application.properties, e.g. to use a real
                               KV-Connect server (kvconnect.server-url=...)
              --help           this text

            Any property can also be set as a JVM system property: java -Dkvconnect.server-url=... -jar ...""";

    /**
     * @throws IllegalArgumentException with a message naming the problem, for unknown or incomplete arguments
     */
    static DemoOptions parse(String... args) {
        boolean once = false;
        boolean help = false;
        Path dataDir = null;
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--once" -> once = true;
                case "--help", "-h" -> help = true;
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--config" -> config = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("Unknown argument '" + arg + "'");
            }
        }
        return new DemoOptions(once, help, dataDir, config);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
