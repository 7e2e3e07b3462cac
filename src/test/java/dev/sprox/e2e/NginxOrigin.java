package dev.sprox.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx serving a directory on 127.0.0.1, the kind of origin sprox fronts in production. Everything
 * it writes (pid, logs, temp files) stays in its own directory; {@link #close} stops it.
 */
final class NginxOrigin implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** One line per request, easy to compare: {@code GET /vod/master.m3u8 206 371}. */
    private static final String LOG_FORMAT = "'$request_method $request_uri $status $body_bytes_sent'";
    /**
     * A second log of each request's {@code User-Agent} and {@code Via}, which have blanks, so they come after the
     * target and {@code Via} last: {@code /vod/a.ts ua=Lavf/61.7.100 via=1.1 sprox}.
     */
    private static final String VIA_FORMAT = "'$request_uri ua=$http_user_agent via=$http_via'";
    private static final String USER_AGENT = " ua=";
    private static final String VIA = " via=";

    private final Process process;
    private final Path directory;
    private final int port;

    private NginxOrigin(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Serves {@code root} under the URL path {@code location} ({@code /vod/}); nginx's files go in {@code directory}. */
    static NginxOrigin serve(Path directory, String location, Path root) {
        ExternalTool nginx = ExternalTool.require("nginx", "nginx-light");
        int port = Configs.freePort();
        Path config = Configs.write(directory.resolve("nginx.conf"), config(directory, port, location, root));
        var stderr = ProcessBuilder.Redirect.appendTo(directory.resolve("stderr.log").toFile());
        Process process = nginx.start(stderr, "-p", directory.toString(), "-c", config.toString(),
                "-e", directory.resolve("error.log").toString());
        var origin = new NginxOrigin(process, directory, port);
        origin.awaitListening();
        return origin;
    }

    private static String config(Path directory, int port, String location, Path root) {
        // nginx started as root would otherwise serve as nobody, who cannot read the tests' private temp dirs.
        String user = isRoot() ? "user root;\n" : "";
        return user + """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                events { worker_connections 64; }
                http {
                    log_format e2e %2$s;
                    log_format via %6$s;
                    access_log %1$s/access.log e2e;
                    access_log %1$s/via.log via;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    types {
                        application/vnd.apple.mpegurl m3u8;
                        video/mp2t ts;
                        application/dash+xml mpd;
                        text/html html;
                        text/javascript js;
                    }
                    default_type application/octet-stream;
                    server {
                        listen 127.0.0.1:%3$d;
                        location %4$s { alias %5$s/; }
                    }
                }
                """.formatted(directory, LOG_FORMAT, port, location, root, VIA_FORMAT);
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String why = process.isAlive() ? "is not listening after " + START_TIMEOUT : "exited";
                    close();
                    throw new AssertionError("nginx " + why + "; error.log:\n" + errorLog());
                }
                Eventually.sleep(Duration.ofMillis(50));
            }
        }
    }

    int port() {
        return port;
    }

    /** Every request logged so far, in the {@link #LOG_FORMAT} form. */
    List<String> accessLog() {
        try {
            Path log = directory.resolve("access.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A request as the origin saw it: its target, its {@code User-Agent} and its {@code Via} header, each empty when
     * it had none.
     */
    record Request(String target, String userAgent, String via) {
        boolean cameThroughSprox() {
            return via.contains("sprox");
        }
    }

    /** Every request logged so far with the headers it carried, in the order of {@link #accessLog()}. */
    List<Request> viaLog() {
        try {
            Path log = directory.resolve("via.log");
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return lines.stream().map(line -> {
                int agentAt = line.indexOf(USER_AGENT);
                int viaAt = line.lastIndexOf(VIA);
                return new Request(line.substring(0, agentAt),
                        orEmpty(line.substring(agentAt + USER_AGENT.length(), viaAt)),
                        orEmpty(line.substring(viaAt + VIA.length())));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nginx logs a header the request did not have as {@code -}. */
    private static String orEmpty(String logged) {
        return logged.equals("-") ? "" : logged;
    }

    String errorLog() {
        try {
            Path log = directory.resolve("error.log");
            Path stderr = directory.resolve("stderr.log");
            return (Files.exists(log) ? Files.readString(log) : "")
                    + (Files.exists(stderr) ? Files.readString(stderr) : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM (nginx's fast shutdown), then SIGKILL if it lingers. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
