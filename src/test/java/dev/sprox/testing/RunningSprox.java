package dev.sprox.testing;

import dev.sprox.runtime.ConfigSource;
import dev.sprox.runtime.ReloadResult;
import dev.sprox.runtime.Sprox;
import dev.sprox.server.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sprox started in this JVM from a configuration directory, as {@code sprox run -c DIR} would start it: the one
 * way in-process tests start a configured sprox.
 */
public final class RunningSprox implements AutoCloseable {
    private final Path directory;
    private final Sprox sprox;

    private RunningSprox(Path directory, Sprox sprox) {
        this.directory = directory;
        this.sprox = sprox;
    }

    /** Writes {@code routesYaml} as the directory's {@code routes.yaml} and starts sprox on it. */
    public static RunningSprox start(Path directory, String routesYaml) throws Exception {
        return start(directory, routesYaml, Map.of());
    }

    /** @param environment what {@code ${VAR}} in the configuration reads, instead of the process's */
    public static RunningSprox start(Path directory, String routesYaml, Map<String, String> environment)
            throws Exception {
        Files.writeString(directory.resolve("routes.yaml"), routesYaml);
        return startIn(directory, environment);
    }

    /** Starts sprox on the configuration files already in {@code directory}. */
    public static RunningSprox startIn(Path directory, Map<String, String> environment) throws Exception {
        return new RunningSprox(directory, Sprox.start(new ConfigSource(Optional.of(directory), environment::get),
                "test"));
    }

    public Sprox sprox() {
        return sprox;
    }

    /** Replaces {@code routes.yaml} and reloads, as {@code kill -HUP} would. */
    public ReloadResult reload(String routesYaml) throws IOException {
        Files.writeString(directory.resolve("routes.yaml"), routesYaml);
        return sprox.reload();
    }

    public InetSocketAddress address(String listenerId) {
        return sprox.listeners().stream().filter(l -> l.config().id().equals(listenerId)).findFirst()
                .map(Listener::boundAddress).orElseThrow();
    }

    public int port(String listenerId) {
        return address(listenerId).getPort();
    }

    /** The admin listener's {@code /metrics} text. */
    public String metrics() throws IOException {
        try (var socket = new Socket(address("admin").getAddress(), port("admin"))) {
            socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The value of one sample on the admin listener's {@code /metrics}, 0 when absent. */
    public double metric(String sample) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * The sample once it reached {@code expected}, or its value after 5 s: for a count that sprox records after
     * the client saw the end of the exchange (a failed TLS handshake's alert closes the socket before it is counted).
     */
    public double metricReaching(String sample, double expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        double value = metric(sample);
        while (value < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = metric(sample);
        }
        return value;
    }

    @Override
    public void close() {
        sprox.drain();
    }
}
