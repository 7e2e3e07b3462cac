package dev.sprox.tls;

import dev.sprox.runtime.ConfigSource;
import dev.sprox.runtime.Sprox;
import dev.sprox.server.Listener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** sprox started in this JVM from a configuration directory, as {@code sprox run -c DIR} would start it. */
final class RunningSprox implements AutoCloseable {
    private final Sprox sprox;

    private RunningSprox(Sprox sprox) {
        this.sprox = sprox;
    }

    static RunningSprox start(Path directory, String routesYaml) throws Exception {
        Files.writeString(directory.resolve("routes.yaml"), routesYaml);
        return new RunningSprox(Sprox.start(new ConfigSource(Optional.of(directory), Map.<String, String>of()::get),
                "test"));
    }

    Sprox sprox() {
        return sprox;
    }

    int port(String listenerId) {
        return sprox.listeners().stream().filter(l -> l.config().id().equals(listenerId)).findFirst()
                .map(Listener::boundAddress).orElseThrow().getPort();
    }

    /** The value of one sample on the admin listener's {@code /metrics}, 0 when absent. */
    double metric(String sample) throws IOException {
        String text = TlsClient.plainGet(port("admin"), "localhost", "/metrics");
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    String metrics() throws IOException {
        return TlsClient.plainGet(port("admin"), "localhost", "/metrics");
    }

    @Override
    public void close() {
        sprox.drain();
    }
}
