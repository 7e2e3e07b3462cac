package dev.sprox.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Configuration directories for the tests, written the way an operator would write them. */
final class Configs {
    /** A public listener with the ops endpoints and an admin listener that adds /metrics, both on free ports. */
    static final String PUBLIC_AND_ADMIN = """
            listeners:
              - id: public
                host: 127.0.0.1
                port: 0
                serve: [ops]
              - id: admin
                host: 127.0.0.1
                port: 0
                serve: [admin, ops]
            routes: []
            trusted_proxies: ["10.0.0.0/8"]
            logging: { level: info, access_log: true }
            server: { shutdown_grace_ms: 5000 }
            """;

    private Configs() {}

    /** Writes {@code routes.yaml} into {@code directory} (replacing it, as an operator's edit would). */
    static Path routes(Path directory, String yaml) {
        return write(directory.resolve("routes.yaml"), yaml);
    }

    static Path write(Path file, String yaml) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on right now (the system's pick, then released). */
    static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
