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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An origin serving the files under one directory (404 for anything else), typed by extension, a single
 * {@code Range} as a 206, that records each
 * request as {@code <target> via=<X-Forwarded-For>} so a test can tell which requests came through sprox.
 */
final class FileOrigin implements AutoCloseable {
    /** One range, {@code bytes=first-[last]}: what players and sprox ask for; anything else gets the whole file. */
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,9})-(\\d{0,18})");
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
            Matcher range = RANGE.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Range")));
            if (range.matches() && Long.parseLong(range.group(1)) < body.length) {
                int first = Integer.parseInt(range.group(1));
                int last = range.group(2).isEmpty() ? body.length - 1
                        : (int) Math.min(Long.parseLong(range.group(2)), body.length - 1);
                exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + body.length);
                exchange.sendResponseHeaders(206, last - first + 1);
                exchange.getResponseBody().write(body, first, last - first + 1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
