package io.github.camelkvconnect.examples.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import io.github.camelkvconnect.component.KvConnectVersion;

/**
 * The KV-Connect demo: two practices exchange eArztbriefe (electronic doctor's letters) over an embedded KV-Connect
 * emulator (or a real server) and answer them with Eingangsbestaetigungen (receipt confirmations, MDNs).
 * <p>
 * Order of events: read the settings, start the emulator, start Camel (routes stay stopped), make sure both
 * practices have a certificate (CSR flow on first start), start the routes. Ctrl-C stops Camel gracefully (messages
 * in progress are finished) and then the emulator.
 */
public final class KvConnectDemo {

    static final String VERSION = KvConnectVersion.VERSION;

    /** Exit code of a wrong command line. */
    static final int USAGE_ERROR = 2;

    private KvConnectDemo() {
    }

    public static void main(String[] args) {
        // library log lines (SLF4J simple writes to System.err) may quote file names and headers from outside
        System.setErr(new PrintStream(new ControlCharacterFilter(System.err), true, StandardCharsets.UTF_8));
        System.exit(run(new Console(System.out), args));
    }

    /**
     * Runs the demo until Ctrl-C, or with {@code --once} until the sample was confirmed.
     *
     * @return the exit code: 0 success, 1 failure, 2 wrong command line
     */
    static int run(Console console, String... args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            console.line(e.getMessage());
            console.lines(DemoOptions.USAGE);
            return USAGE_ERROR;
        }
        if (options.help()) {
            console.lines(DemoOptions.USAGE);
            return 0;
        }

        // Ctrl-C: Camel Main's own hook stops Camel; this one keeps the JVM alive until the emulator has stopped too.
        CountDownLatch finished = new CountDownLatch(1);
        Thread waitForCleanStop = new Thread(() -> {
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kvconnect-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(waitForCleanStop);

        DemoServer server = null;
        try {
            DemoSettings settings = DemoSettings.load(options);
            List<Practice> practices = settings.practices();
            for (Practice p : practices) {
                Files.createDirectories(p.outbox());
                Files.createDirectories(p.inbox());
            }
            console.line("KV-Connect demo (camel-kvconnect " + VERSION + ")");
            console.line("  Data      " + settings.dataDir());
            server = DemoServer.start(settings);
            if (server.embedded()) {
                console.line("  Server    embedded KV-Connect emulator, REST API " + server.serverUrl());
                console.line("            its data (accounts, CAs, mailboxes): " + server.emulatorDataDir());
                console.line("            demo-only accounts: " + practices.get(0).address() + ", "
                             + practices.get(1).address() + " (passwords and PINs in application.properties)");
            } else {
                console.line("  Server    " + server.serverUrl());
            }
            return runCamel(console, options, settings, server, practices);
        } catch (DemoException | IOException e) {
            console.line("ERROR: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            // Typically Camel refusing to start a route (e.g. unreadable trust anchors); its message names the cause.
            console.line("ERROR: " + e.getMessage());
            return 1;
        } finally {
            if (server != null) {
                server.close();
            }
            console.line("Stopped. Everything is kept in the data directory; start again to continue.");
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(waitForCleanStop);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already shutting down (Ctrl-C): the hook is running and returns now
            }
        }
    }

    private static int runCamel(Console console, DemoOptions options, DemoSettings settings, DemoServer server,
                                List<Practice> practices) throws Exception {
        DemoEvents events = new DemoEvents();
        AtomicInteger exitCode = new AtomicInteger(options.once() ? 1 : 0);
        Main main = new Main();
        main.setOverrideProperties(settings.camelProperties());
        main.configure().addRoutesBuilder(new DemoRoutes(practices, events, console, settings.pollDelayMillis()));
        for (Practice p : practices) {
            main.bind(p.configurationBean(), server.configurationFor(p));
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport m) {
                // Called on the main thread before it waits for the end; it must not throw (Camel Main would then skip
                // the orderly stop), so failures end the run with exit code 1 instead.
                try {
                    startPractices(m.getCamelContext(), console, practices);
                    if (options.once()) {
                        Thread once = new Thread(() -> {
                            exitCode.set(new OnceRun(events, console, practices.get(0), practices.get(1),
                                    settings.onceTimeout()).run());
                            main.completed();
                        }, "kvconnect-demo-once");
                        once.setDaemon(true);
                        once.start();
                    }
                } catch (RuntimeException e) {
                    console.line("ERROR: " + e.getMessage());
                    exitCode.set(1);
                    main.completed();
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                console.event("stopping: finishing messages in progress, then the routes%s",
                        server.embedded() ? " and the emulator" : "");
            }
        });
        main.run();
        return exitCode.get();
    }

    private static void startPractices(CamelContext context, Console console, List<Practice> practices) {
        CertificateSetup certificates = new CertificateSetup(context.createProducerTemplate(), console);
        practices.forEach(certificates::ensure);
        for (String routeId : DemoRoutes.routeIds(practices)) {
            try {
                context.getRouteController().startRoute(routeId);
            } catch (Exception e) {
                throw new DemoException("Cannot start route " + routeId + ": " + e.getMessage(), e);
            }
        }
        console.line("");
        console.line("Ready. Each practice has its own folders:");
        for (Practice p : practices) {
            Practice other = practices.stream().filter(o -> o != p).findFirst().orElseThrow();
            console.line("  " + p.address());
            console.line("    outbox   " + p.outbox() + "   <- drop a file (e.g. a PDF): sent as eArztbrief to "
                         + other.address());
            console.line("    inbox    " + p.inbox() + "   <- received messages, one folder each");
            console.line("    sent     " + p.sent() + ",  failed " + p.failed() + ",  receipts " + p.receipts());
        }
        console.line("Press Ctrl-C to stop.");
        console.line("");
    }
}
