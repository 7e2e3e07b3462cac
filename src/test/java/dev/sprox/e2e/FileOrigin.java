package dev.sprox.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * An origin serving the files under one directory (404 for anything else), typed by extension, that records each
 * request as {@code <target> via=<X-Forwarded-For>} so a test can tell which requests came through sprox.
 */
final class FileOrigin implements AutoCloseable {
    private final Path site;
    private final Map<String, String> types;
    private final HttpServer server;
    private final Queue<String> log = new ConcurrentLinkedQueue<>();

    private FileOrigin(Path site, Map<String, String> types) throws IOException {
        this.site = site;
        this.types = types;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** @param types Content-Type by file extension; anything else is {@code application/octet-stream} */
    static FileOrigin serve(Path site, Map<String, String> types) throws IOException {
        return new FileOrigin(site, types);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The requests so far, oldest first. */
    List<String> requests() {
        return List.copyOf(log);
    }

    void clearRequests() {
        log.clear();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            log.add(exchange.getRequestURI() + " via=" + exchange.getRequestHeaders().getFirst("X-Forwarded-For"));
            Path file = site.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String name = file.getFileName().toString();
            exchange.getResponseHeaders().set("Content-Type",
                    types.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"));
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
