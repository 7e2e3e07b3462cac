package dev.sprox.server;

import dev.sprox.config.ListenerConfig;
import dev.sprox.config.ServerSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 server: the set of listeners, every open connection, and draining at shutdown. Each connection
 * runs on its own virtual thread with plain blocking I/O.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final Duration SEND_CHECK_INTERVAL = Duration.ofMillis(250);
    private static final String OVERLOADED_BODY = "too many connections\n";
    private static final byte[] OVERLOADED = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            + "Content-Length: " + OVERLOADED_BODY.length() + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
            + OVERLOADED_BODY).getBytes(StandardCharsets.ISO_8859_1);

    private final RequestHandler handler;
    private final Supplier<ServerSettings> settings;
    private final ThreadFactory threads = Thread.ofVirtual().name("sprox-conn-", 0).factory();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder stalledSends = new LongAdder();
    private final AtomicInteger requestCount = new AtomicInteger();
    private volatile boolean draining;
    /** Started with the first listener, when the settings it reads exist; ends with the drain. */
    private Thread sendWatch;

    /** @param settings the limits in force, read afresh for every request so a reload applies at once */
    public HttpServer(RequestHandler handler, Supplier<ServerSettings> settings) {
        this.handler = handler;
        this.settings = settings;
    }

    /**
     * Blocking socket writes have no timeout of their own, so a client that stops reading would hold its
     * connection forever (slow-read attack). Once a second, connections whose write has been blocked longer
     * than {@code server.send_timeout_ms} are closed.
     */
    private void closeStalledSends() {
        while (!draining) {
            try {
                Thread.sleep(SEND_CHECK_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long timeout = settings().sendTimeout().toNanos();
            for (Connection connection : connections) {
                if (connection.sendStalled(now, timeout)) {
                    stalledSends.increment();
                    LOG.debug("closing a connection whose client stopped reading");
                    connection.closeNow();
                }
            }
        }
    }

    RequestHandler handler() {
        return handler;
    }

    ServerSettings settings() {
        return settings.get();
    }

    public boolean draining() {
        return draining;
    }

    public int activeConnections() {
        return connectionCount.get();
    }

    /** Requests read whose response is not yet written (or abandoned); at most one per connection. */
    public int activeRequests() {
        return requestCount.get();
    }

    void requestStarted() {
        requestCount.incrementAndGet();
    }

    void requestFinished() {
        requestCount.decrementAndGet();
    }

    /** Connections turned away because {@code server.max_connections} was reached. */
    public long refusedConnections() {
        return refusedConnections.sum();
    }

    /** Connections closed because the client stopped reading for longer than the send timeout. */
    public long stalledSends() {
        return stalledSends.sum();
    }

    public synchronized List<Listener> listeners() {
        return List.copyOf(listeners.values());
    }

    /**
     * Makes the bound listeners match {@code wanted}: addresses that stay keep their sockets (and their
     * connections), new ones are bound, dropped ones stop accepting. All or nothing: if any new address cannot
     * be bound, nothing changes and the exception says which.
     */
    public synchronized void apply(List<ListenerConfig> wanted) throws IOException {
        var next = new LinkedHashMap<String, Listener>();
        var fresh = new ArrayList<Listener>();
        try {
            for (ListenerConfig config : wanted) {
                Listener existing = listeners.get(Listener.keyOf(config));
                if (existing == null) {
                    Listener bound = Listener.bind(config);
                    fresh.add(bound);
                    next.put(bound.key(), bound);
                } else {
                    next.put(existing.key(), existing);
                }
            }
        } catch (IOException e) {
            fresh.forEach(Listener::close);
            throw e;
        }
        for (ListenerConfig config : wanted) {
            next.get(Listener.keyOf(config)).update(config);
        }
        for (Listener old : listeners.values()) {
            if (!next.containsKey(old.key())) {
                old.close();
                connections.stream().filter(c -> c.listener() == old).forEach(Connection::closeIfIdle);
                LOG.atInfo().addKeyValue("listener", old.config().id()).log("listener closed");
            }
        }
        listeners.clear();
        listeners.putAll(next);
        if (sendWatch == null) {
            sendWatch = Thread.ofPlatform().name("sprox-send-timeout").daemon(true).start(this::closeStalledSends);
        }
        for (Listener listener : fresh) {
            listener.startAccepting(socket -> accept(socket, listener));
            LOG.atInfo().addKeyValue("listener", listener.config().id())
                    .addKeyValue("address", listener.boundAddress().getAddress().getHostAddress() + ":"
                            + listener.boundAddress().getPort())
                    .addKeyValue("serve", listener.config().serve().stream()
                            .map(dev.sprox.config.ServeGroup::configName).sorted().toList().toString())
                    .log("listening");
        }
    }

    private void accept(Socket socket, Listener listener) {
        if (draining) {
            closeQuietly(socket);
            return;
        }
        if (connectionCount.incrementAndGet() > settings().maxConnections()) {
            connectionCount.decrementAndGet();
            refusedConnections.increment();
            threads.newThread(() -> refuseOverloaded(socket)).start();
            return;
        }
        var connection = new Connection(socket, listener, this);
        connections.add(connection);
        threads.newThread(connection).start();
    }

    void closed(Connection connection) {
        if (connections.remove(connection)) {
            connectionCount.decrementAndGet();
        }
    }

    private static void refuseOverloaded(Socket socket) {
        try (socket; OutputStream out = socket.getOutputStream()) {
            out.write(OVERLOADED);
        } catch (IOException e) {
            LOG.debug("refusing connection: {}", e.getMessage());
        }
    }

    /**
     * Stops accepting, closes idle connections, and waits up to {@code grace} for requests in progress to
     * finish (each ends with {@code Connection: close}); true when all finished in time.
     */
    public boolean drain(Duration grace) {
        draining = true;
        synchronized (this) {
            listeners.values().forEach(Listener::close);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            connections.forEach(Connection::closeIfIdle);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boolean clean = connections.isEmpty();
        connections.forEach(Connection::closeNow);
        return clean;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing socket: {}", e.getMessage());
        }
    }
}
