package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The origin's answer, its body not yet read. Closing it releases (or aborts) the upstream exchange.
 *
 * @param contentLength the origin's {@code Content-Length}, or -1 when it sent none
 * @param finalUri      the URL that answered, after redirects
 * @param headersNanos  time from sending the first attempt to receiving this response's head
 */
public record UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body, long contentLength,
                               URI finalUri, int retries, long headersNanos) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        body.close();
    }
}
