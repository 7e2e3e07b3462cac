package dev.sprox.server;

import dev.sprox.tls.CertificateWatcher;
import dev.sprox.tls.ServerTls;
import dev.sprox.tls.TlsConfig;
import dev.sprox.tls.TlsObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 server: the set of listeners, every open connection, and draining at shutdown. Each connection
 * runs on its own virtual thread with plain blocking I/O.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final int WATCH_MILLIS = 250;
    private static final String OVERLOADED_BODY = "too many connections\n";
    private static final byte[] OVERLOADED = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
            + "Content-Length: " + OVERLOADED_BODY.length() + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
            + OVERLOADED_BODY).getBytes(StandardCharsets.ISO_8859_1);

    private final RequestHandler handler;
    private final Supplier<ServerSettings> settings;
    private final TlsObserver tlsObserver;
    /** Held while the listeners change; binding and reading certificates block, so no monitor is used. */
    private final ReentrantLock applying = new ReentrantLock();
    private final ThreadFactory threads = Thread.ofVirtual().name("sprox-conn-", 0).factory();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final LongAdder refusedConnections = new LongAdder();
    private final LongAdder stalledSends = new LongAdder();
    private final AtomicInteger requestCount = new AtomicInteger();
    private volatile boolean draining;
    /** Started with the first listener, when the settings it reads exist; ends with the drain. */
    private Thread connectionWatch;
    /** Started with the first listener that has {@code tls.watch_for_changes}; ends with the drain. */
    private CertificateWatcher certificateWatcher;

    /** A server whose TLS listeners report to nobody: for tests of plain HTTP. */
    public HttpServer(RequestHandler handler, Supplier<ServerSettings> settings) {
        this(handler, settings, TlsObserver.NONE);
    }

    /**
     * @param settings    the limits in force, read afresh for every request so a reload applies at once
     * @param tlsObserver told about handshakes and certificates, for metrics
     */
    public HttpServer(RequestHandler handler, Supplier<ServerSettings> settings, TlsObserver tlsObserver) {
        this.handler = handler;
        this.settings = settings;
        this.tlsObserver = tlsObserver;
    }

    /**
     * Every {@value #WATCH_MILLIS} ms: closes the connections whose client stopped reading, since blocking socket
     * writes have no timeout of their own (slow-read attack), a write blocked longer than
     * {@code server.send_timeout_ms}; and those that waited longer than {@code server.idle_timeout_ms} for their next
     * request, a wait without a timeout of its own (see {@link ConnectionInput#awaitData}). So both close up to one
     * interval late.
     */
    private void watchConnections() {
        while (!draining) {
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            ServerSettings limits = settings();
            long now = System.nanoTime();
            long sendTimeout = limits.sendTimeout().toNanos();
            long idleSince = now - limits.idleTimeout().toNanos();
            for (Connection connection : connections) {
                if (connection.sendStalled(now, sendTimeout)) {
                    stalledSends.increment();
                    LOG.debug("closing a connection whose client stopped reading");
                    connection.closeNow();
                } else {
                    connection.closeIfIdleSince(idleSince);
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

    public List<Listener> listeners() {
        applying.lock();
        try {
            return List.copyOf(listeners.values());
        } finally {
            applying.unlock();
        }
    }

    /**
     * Makes the bound listeners match {@code wanted}, at once: {@link #prepare} then {@link ListenerChange#commit}.
     *
     * @throws IOException as {@link #prepare}, with nothing changed
     */
    public void apply(List<ListenerConfig> wanted) throws IOException {
        prepare(wanted).commit();
    }

    /**
     * Gets ready to make the bound listeners match {@code wanted}: new addresses are bound but accept nothing
     * yet, TLS listeners read their certificates again (so SIGHUP reloads them too). Nothing serving changes
     * until {@link ListenerChange#commit}, which the caller runs once the configuration those listeners serve is
     * current, so a new listener's first request never meets the previous configuration. All or nothing: if any
     * new address cannot be bound or any certificate cannot be used, nothing changes and the exception says which.
     */
    public ListenerChange prepare(List<ListenerConfig> wanted) throws IOException {
        applying.lock();
        try {
            if (certificateWatcher == null && wanted.stream().anyMatch(
                    config -> config.tls().map(TlsConfig::watchForChanges).orElse(false))) {
                certificateWatcher = new CertificateWatcher();
            }
            List<Consumer<Map<String, Listener>>> swaps = secure(wanted);
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
            return new ListenerChange(List.copyOf(wanted), swaps, next, fresh);
        } finally {
            applying.unlock();
        }
    }

    /** Listeners bound for a configuration and not serving yet: exactly one of its methods runs. */
    public final class ListenerChange {
        private final List<ListenerConfig> wanted;
        private final List<Consumer<Map<String, Listener>>> swaps;
        private final Map<String, Listener> next;
        private final List<Listener> fresh;

        private ListenerChange(List<ListenerConfig> wanted, List<Consumer<Map<String, Listener>>> swaps,
                               Map<String, Listener> next, List<Listener> fresh) {
            this.wanted = wanted;
            this.swaps = swaps;
            this.next = next;
            this.fresh = fresh;
        }

        /** Closes the sockets bound for nothing. */
        public void abandon() {
            fresh.forEach(Listener::close);
        }

        /** Installs the certificates, closes dropped listeners and starts accepting on the new ones. */
        public void commit() {
            applying.lock();
            try {
                commitLocked();
            } finally {
                applying.unlock();
            }
        }

        private void commitLocked() {
            swaps.forEach(swap -> swap.accept(next));
            for (ListenerConfig config : wanted) {
                next.get(Listener.keyOf(config)).update(config);
            }
            for (Listener old : listeners.values()) {
                if (!next.containsKey(old.key())) {
                    old.close();
                    // A listener that moved keeps its id, and its metrics now belong to the new socket.
                    if (wanted.stream().noneMatch(config -> config.id().equals(old.config().id()))) {
                        old.tls().ifPresent(ServerTls::retire);
                    }
                    connections.stream().filter(c -> c.listener() == old).forEach(Connection::closeIfIdle);
                    LOG.atInfo().addKeyValue("listener", old.config().id()).log("listener closed");
                }
            }
            listeners.clear();
            listeners.putAll(next);
            watchCertificates();
            if (connectionWatch == null) {
                connectionWatch = Thread.ofPlatform().name("sprox-connection-watch").daemon(true).start(
                        HttpServer.this::watchConnections);
            }
            for (Listener listener : fresh) {
                listener.startAccepting(socket -> accept(socket, listener));
                LOG.atInfo().addKeyValue("listener", listener.config().id())
                        .addKeyValue("address", listener.boundAddress().getAddress().getHostAddress() + ":"
                                + listener.boundAddress().getPort())
                        .addKeyValue("serve", listener.config().serve().stream()
                                .map(group -> group.name().toLowerCase(Locale.ROOT)).sorted().toList().toString())
                        .log("listening");
            }
        }
    }

    /**
     * Prepares TLS for every wanted listener before anything changes: a listener whose tls block stayed the same
     * reloads its certificates, any other gets a new context. Returns the swaps that install them in the
     * listeners about to serve, to run once nothing can fail any more.
     */
    private List<Consumer<Map<String, Listener>>> secure(List<ListenerConfig> wanted) throws IOException {
        var swaps = new ArrayList<Consumer<Map<String, Listener>>>();
        for (ListenerConfig config : wanted) {
            String key = Listener.keyOf(config);
            Listener existing = listeners.get(key);
            Optional<ServerTls> running = existing == null ? Optional.empty() : existing.tls();
            if (config.tls().isPresent() && running.isPresent()
                    && running.get().config().equals(config.tls().get())) {
                Runnable reload = running.get().prepareReload();
                swaps.add(next -> reload.run());
            } else {
                Optional<ServerTls> tls = config.tls().isPresent()
                        ? Optional.of(ServerTls.create(config.id(), config.tls().get(), tlsObserver))
                        : Optional.empty();
                swaps.add(next -> {
                    running.ifPresent(ServerTls::retire);
                    next.get(key).secure(tls);
                    tls.ifPresent(ServerTls::announce);
                });
            }
        }
        return swaps;
    }

    private void watchCertificates() {
        if (certificateWatcher != null) {
            certificateWatcher.watch(listeners.values().stream().flatMap(l -> l.tls().stream()).toList());
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
        applying.lock();
        try {
            listeners.values().forEach(Listener::close);
            if (certificateWatcher != null) {
                certificateWatcher.close();
            }
        } finally {
            applying.unlock();
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
