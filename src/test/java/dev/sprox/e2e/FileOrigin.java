package dev.sprox.e2e;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link MockOrigin} dispatcher serving the files under one directory (404 for anything else), typed by
 * extension; a single {@code Range} (what players and sprox ask for) is answered with a 206.
 *
 * @param types Content-Type by file extension; anything else is {@code application/octet-stream}
 */
record FileOrigin(Path site, Map<String, String> types) implements MockOrigin.Dispatcher {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,9})-(\\d{0,18})");

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
        String type = types.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        byte[] body = Files.readAllBytes(file);
        Matcher range = RANGE.matcher(request.header("Range").orElse(""));
        if (range.matches() && Long.parseLong(range.group(1)) < body.length) {
            int first = Integer.parseInt(range.group(1));
            int last = range.group(2).isEmpty() ? body.length - 1
                    : (int) Math.min(Long.parseLong(range.group(2)), body.length - 1);
            return MockResponse.ok(Arrays.copyOfRange(body, first, last + 1)).withStatus(206).type(type)
                    .header("Content-Range", "bytes " + first + "-" + last + "/" + body.length);
        }
        return MockResponse.ok(body).type(type);
    }
}
