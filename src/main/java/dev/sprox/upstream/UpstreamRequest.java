package dev.sprox.upstream;

import dev.sprox.http.Headers;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * A request for the origin.
 *
 * @param body   the client's body, streamed; empty for requests without one
 * @param length the body's length when the client declared it, else -1 (sent chunked)
 */
public record UpstreamRequest(String method, URI uri, Headers headers, Optional<InputStream> body, long length) {}
