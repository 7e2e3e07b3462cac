package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.route.OriginHarness;
import dev.sprox.runtime.Sprox;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * sprox serving the direct endpoints on its {@code public} listener, allowed to reach origins on 127.0.0.1 over
 * http only, on the test's origin port and those {@link #allowPort allowed} before start: through the allowlist
 * rule and {@code allow_cidrs}, as an operator would configure a private origin. Everything else stays refused by
 * the destination guard.
 */
abstract class DirectHarness extends OriginHarness {
    /**
     * Upstream timeouts with room for a loaded machine (a 2 s read once turned a served file into a 504); a test
     * about timeouts sets its own in {@code extras}.
     */
    private static final List<String> TIMEOUTS = List.of("connect_timeout_ms: 5000", "read_timeout_ms: 8000");

    private final List<Integer> ports = new ArrayList<>();
    private static final String CONFIG = """
            listeners:
              - {id: public, host: 127.0.0.1, port: 0, serve: [direct, ops]}
              - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
            server: {shutdown_grace_ms: 300}
            logging: {level: %s, access_log: %s}
            direct_stream:
              allowlist:
                - {domain: "127.0.0.1", schemes: [http], ports: [%s]}
              allow_cidrs: ["127.0.0.1/32"]
            """;

    /** Lets the next {@link #startDirect} reach 127.0.0.1 on {@code port} too (another origin of the test). */
    protected void allowPort(int port) {
        ports.add(port);
    }

    /** @param extras more keys of the {@code direct_stream} block, each a line such as {@code "max_concurrent: 1"} */
    protected Sprox startDirect(String... extras) throws Exception {
        return startDirect(false, "", extras);
    }

    /**
     * @param accessLog writes the access log (at info) for tests that read it
     * @param topLevel  more top-level blocks, e.g. {@code "rate_limit: {...}\n"}
     * @param extras    more keys of the {@code direct_stream} block
     */
    protected Sprox startDirect(boolean accessLog, String topLevel, String... extras) throws Exception {
        var allowed = new ArrayList<>(ports);
        allowed.add(origin.port());
        var yaml = new StringBuilder(CONFIG.formatted(accessLog ? "info" : "warn", accessLog,
                allowed.stream().map(String::valueOf).collect(Collectors.joining(", "))));
        for (String timeout : TIMEOUTS) {
            String key = timeout.substring(0, timeout.indexOf(':') + 1);
            if (List.of(extras).stream().noneMatch(extra -> extra.startsWith(key))) {
                yaml.append("  ").append(timeout).append('\n');
            }
        }
        for (String extra : extras) {
            yaml.append("  ").append(extra).append('\n');
        }
        return startConfig(yaml.append(topLevel).toString());
    }

    /**
     * A chunked body: {@code first} at once, then {@code rest} once {@code release} opens (ten seconds at most),
     * for a stream that holds its slot while the test looks.
     */
    protected static MockResponse held(String first, CountDownLatch release, String rest) {
        return MockResponse.status(200).body(-1, out -> {
            out.write(first.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while holding the body");
            }
            out.write(rest.getBytes(StandardCharsets.US_ASCII));
        });
    }

    /** The one request the origin received for exactly {@code target}, path and query as sent; fails otherwise. */
    protected RecordedRequest requestFor(String target) {
        List<RecordedRequest> matching = origin.requests().stream().filter(r -> r.target().equals(target)).toList();
        assertEquals(1, matching.size(), () -> "requests for " + target + " among " + origin.requests());
        return matching.getFirst();
    }

    /** The stream endpoint's path and query for an origin path, {@code d} encoded as DirectUrls writes it. */
    protected String stream(String originPath) {
        return "/proxy/stream?d=" + DirectUrls.encode(origin(originPath));
    }

    protected String manifest(String originPath) {
        return DirectUrls.MANIFEST + "?d=" + DirectUrls.encode(origin(originPath));
    }

    /**
     * Where a URL sprox wrote leads: {@code d} of a stream or manifest URL, or a signed prefix's base (read from its
     * token, which carries it) followed by the rest. Reads without verifying; the endpoints verify.
     */
    protected static String destinationOf(String written) {
        if (written.startsWith(DirectUrls.PREFIX + "/")) {
            int start = DirectUrls.PREFIX.length() + 1;
            int slash = written.indexOf('/', start);
            String token = written.substring(start, slash);
            byte[] signed = java.util.Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
            int length = java.nio.ByteBuffer.wrap(signed).getInt();
            return new String(signed, 4, length, java.nio.charset.StandardCharsets.UTF_8) + written.substring(slash + 1);
        }
        String query = written.substring(written.indexOf('?') + 1);
        return Destination.of(query, QueryText.decode(query)).toString();
    }

    protected String origin(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }
}
