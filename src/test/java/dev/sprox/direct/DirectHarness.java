package dev.sprox.direct;

import dev.sprox.route.WireMockHarness;
import dev.sprox.runtime.Sprox;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * sprox serving the direct endpoints on its {@code public} listener, allowed to reach origins on 127.0.0.1 over
 * http only, on the WireMock origin's port and those {@link #allowPort allowed} before start: through the
 * allowlist rule and {@code allow_cidrs}, as an operator would configure a private origin. Everything else stays
 * refused by the destination guard.
 */
abstract class DirectHarness extends WireMockHarness {
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
              connect_timeout_ms: 1000
              read_timeout_ms: 2000
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
        for (String extra : extras) {
            yaml.append("  ").append(extra).append('\n');
        }
        return startConfig(yaml.append(topLevel).toString());
    }

    /** The stream endpoint's path and query for an origin path, {@code d} encoded as DirectUrls writes it. */
    protected static String stream(String originPath) {
        return "/proxy/stream?d=" + DirectUrls.encode(origin(originPath));
    }

    protected static String manifest(String originPath) {
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

    protected static String origin(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }

    protected static URI originUri(String path) {
        return URI.create(origin(path));
    }
}
