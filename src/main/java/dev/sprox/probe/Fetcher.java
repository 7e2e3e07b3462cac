package dev.sprox.probe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs for the probe. With a {@code via} base, every request goes to the via's scheme://host:port with the
 * original path and query, so a stream is probed through sprox exactly as a player behind it would fetch it.
 */
final class Fetcher implements AutoCloseable {
    private final HttpClient client;
    private final Optional<URI> via;
    private final Duration timeout;

    Fetcher(Optional<URI> via, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.via = via;
        this.timeout = timeout;
    }

    /** @param uri the URI as the playlist names it; the one requested may differ ({@link #target}) */
    Fetched get(URI uri) throws IOException, InterruptedException {
        URI target = target(uri);
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(target).timeout(timeout)
                .header("User-Agent", "sprox-probe").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Fetched(target, response.uri(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    private URI target(URI uri) {
        return via.map(base -> URI.create(base.getScheme() + "://" + base.getRawAuthority() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))).orElse(uri);
    }

    @Override
    public void close() {
        client.close();
    }

    /** @param finalUri after redirects: what relative URIs in a playlist resolve against */
    record Fetched(URI requested, URI finalUri, int status, String contentType, byte[] body) {
        boolean succeeded() {
            return status / 100 == 2;
        }
    }
}
