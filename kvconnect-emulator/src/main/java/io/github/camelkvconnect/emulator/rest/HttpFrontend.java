package io.github.camelkvconnect.emulator.rest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.camelkvconnect.emulator.EmulatorException;
import io.github.camelkvconnect.emulator.faults.FaultState;

/**
 * The HTTP(S) server (the JDK's {@code com.sun.net.httpserver}, real TLS over sockets). Dispatches
 * {@code /kvconnect/rest/}, {@code /vzd/} and {@code /crl/} to the REST API and {@code /admin/} to the admin API, applies armed
 * faults, and turns every failure into an HTTP answer: no request can bring the server down.
 */
public final class HttpFrontend implements AutoCloseable {

    /** The admin API as the front end sees it. */
    public interface AdminHandler {
        /**
         * @param call     the call
         * @param segments the path segments below {@code /admin/}
         */
        void handle(HttpCall call, List<String> segments) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final RestApi rest;
    private final AdminHandler admin;
    private final FaultState faults;
    private final long maxBody;
    private final boolean tls;

    /**
     * @param ctx   the services
     * @param bind  the address to listen on
     * @param port  the port (0 = free port)
     * @param ssl   the TLS context, or null for plain HTTP
     * @param admin the admin API
     */
    public HttpFrontend(ServerContext ctx, InetAddress bind, int port, SSLContext ssl, AdminHandler admin) {
        this.rest = new RestApi(ctx);
        this.admin = admin;
        this.faults = ctx.faults();
        this.maxBody = ctx.maxMessageSize();
        this.tls = ssl != null;
        try {
            InetSocketAddress address = new InetSocketAddress(bind, port);
            if (ssl != null) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(ssl));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new EmulatorException("Cannot open the REST port " + port + " on " + bind + " (in use?): " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(16, new NamedThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts serving. */
    public void start() {
        server.start();
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return whether the server speaks HTTPS */
    public boolean tls() {
        return tls;
    }

    private void handle(HttpExchange exchange) {
        HttpCall call = new HttpCall(exchange, maxBody);
        try {
            dispatch(call);
        } catch (HttpProblem problem) {
            respond(call, problem);
        } catch (HttpCall.ResponseDropped e) {
            LOG.info("Fault: dropped the answer to {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
            call.abortConnection();
        } catch (HttpCall.ClientGoneException e) {
            LOG.debug("Client went away during {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        } catch (RuntimeException | IOException | Error e) {
            LOG.error("Request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
            respond(call, new HttpProblem(500, "Internal emulator error (" + e.getClass().getSimpleName()
                    + "); see the emulator log"));
        } finally {
            exchange.close();
            LOG.debug("{} {} -> {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getResponseCode());
        }
    }

    private void dispatch(HttpCall call) throws IOException {
        List<String> segments = call.segments();
        if (segments.size() >= 2 && "kvconnect".equals(segments.get(0)) && "rest".equals(segments.get(1))) {
            runWithFaults(call, rest.route(call, segments.subList(2, segments.size())));
        } else if (!segments.isEmpty() && ("vzd".equals(segments.get(0)) || "crl".equals(segments.get(0)))) {
            runWithFaults(call, rest.route(call, segments));
        } else if (!segments.isEmpty() && "admin".equals(segments.get(0))) {
            admin.handle(call, segments.subList(1, segments.size()));
        } else {
            throw new HttpProblem(404, "No such resource; the KV-Connect REST API is below " + RestApi.BASE);
        }
    }

    private void runWithFaults(HttpCall call, RestApi.Route route) throws IOException {
        Duration latency = faults.latencyOf(route.endpoint());
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpProblem(503, "Emulator is shutting down");
            }
        }
        if (faults.consumeClose(route.endpoint())) {
            LOG.info("Fault: closing the connection of a {} call", route.endpoint());
            call.abortConnection();
            return;
        }
        OptionalInt failure = faults.consumeFailure(route.endpoint());
        if (failure.isPresent()) {
            LOG.info("Fault: answering a {} call with {}", route.endpoint(), failure.getAsInt());
            throw new HttpProblem(failure.getAsInt(), "Emulated failure of " + route.endpoint());
        }
        if (faults.consumeDropResponse(route.endpoint())) {
            call.dropResponse();
        }
        route.handler().handle(call);
    }

    private static void respond(HttpCall call, HttpProblem problem) {
        if (call.responded()) {
            return;
        }
        problem.headers().forEach(call::responseHeader);
        try {
            call.xml(problem.status(), Xml.document().start("error")
                    .element("status", Integer.toString(problem.status()))
                    .element("message", problem.getMessage())
                    .end());
        } catch (RuntimeException e) {
            LOG.debug("Could not send the error answer", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private static final AtomicInteger SERVER = new AtomicInteger();
        private final int server = SERVER.incrementAndGet();
        private final AtomicInteger thread = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "kvc-emulator-" + server + "-http-" + thread.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
