package dev.sprox.e2e;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link MockOrigin} dispatcher serving the files under one directory (404 for anything else), typed by
 * extension.
 *
 * @param types Content-Type by file extension; anything else is {@code application/octet-stream}
 */
record FileOrigin(Path site, Map<String, String> types) implements MockOrigin.Dispatcher {

    /** A running origin serving {@code site}. */
    static MockOrigin serve(Path site, Map<String, String> types) {
        return MockOrigin.start().dispatch(new FileOrigin(site, types));
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws IOException {
        Path file = site.resolve(URI.create(request.target()).getPath().substring(1)).normalize();
        if (!file.startsWith(site) || !Files.isRegularFile(file)) {
            return MockResponse.status(404);
        }
        String name = file.getFileName().toString();
        return MockResponse.ok(Files.readAllBytes(file))
                .type(types.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"));
    }
}
