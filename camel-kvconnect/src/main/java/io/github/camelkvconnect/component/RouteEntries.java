package io.github.camelkvconnect.component;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.spi.SynchronizationRouteAware;

/**
 * Remembers which routes one exchange has entered and not yet left, so that after an {@link Error} thrown through the
 * routing engine the consumer can remove exactly the route in-flight entries this exchange made.
 * <p>
 * Why not ask the in-flight repository: Camel's default repository keeps only a counter per route
 * ({@code remove(exchange, routeId)} decrements it whoever registered), and its {@code browse()} lists exchanges only if
 * in-flight browsing is enabled, by the route they came from, not by the routes that counted them. Camel calls
 * {@link #onBeforeRoute} from the route's lifecycle step, which runs after the route counted the exchange as in flight
 * (Camel 4's route setup adds that step after the in-flight step), and {@link #onAfterRoute} when the exchange leaves the
 * route normally; so a route listed here holds an entry of this exchange. An Error thrown before the route counted the
 * exchange (e.g. by a route policy) lists nothing.
 */
final class RouteEntries implements Synchronization, SynchronizationRouteAware {

    private final List<String> entered = new ArrayList<>();
    private volatile boolean completed;

    /** Camel asks for this instead of checking the type: without it the route callbacks are never called. */
    @Override
    public SynchronizationRouteAware getRouteSynchronization() {
        return this;
    }

    @Override
    public synchronized void onBeforeRoute(Route route, Exchange exchange) {
        entered.add(route.getRouteId());
    }

    @Override
    public synchronized void onAfterRoute(Route route, Exchange exchange) {
        entered.remove(route.getRouteId()); // one entry of that route; which one does not matter, they are equal
    }

    /** The route ids entered and not left, once per entry. */
    synchronized List<String> notLeft() {
        return List.copyOf(entered);
    }

    /** Whether Camel has completed the exchange's unit of work (its synchronizations ran). */
    boolean completed() {
        return completed;
    }

    @Override
    public void onComplete(Exchange exchange) {
        completed = true;
    }

    @Override
    public void onFailure(Exchange exchange) {
        completed = true;
    }

    @Override
    public String toString() {
        return "KvConnectRouteEntries";
    }
}
