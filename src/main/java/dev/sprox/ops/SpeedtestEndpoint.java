package dev.sprox.ops;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import dev.sprox.http.ResponseBody;
import dev.sprox.pipeline.RequestContext;
import dev.sprox.server.Request;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /speedtest[?bytes=N]}: a deterministic payload for measuring throughput to this node. Every
 * 64 KiB chunk is the same pattern, so the body costs no CPU to make. Every default listener serves it, so its
 * size is capped by {@code ops.speedtest.max_bytes} (a few MiB unless raised), and each request spends the
 * client's ordinary rate-limit bucket like any other.
 */
public final class SpeedtestEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SpeedtestEndpoint.class);
    static final long DEFAULT_BYTES = 8L * 1024 * 1024;
    private static final byte[] CHUNK = chunk();

    private SpeedtestEndpoint() {}

    private static byte[] chunk() {
        byte[] pattern = "sprox-speedtest-data-".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = pattern[i % pattern.length];
        }
        return chunk;
    }

    /** @param max {@code ops.speedtest.max_bytes} */
    public static Response handle(Request request, RequestContext context, long max) {
        long bytes = request.query().first("bytes").map(text -> parseBytes(text, max))
                .orElse(Math.min(DEFAULT_BYTES, max));
        ResponseBody.Writer writer = out -> stream(out, bytes, context.requestId());
        return Response.of(200, Headers.of("Content-Type", "application/octet-stream", "Cache-Control", "no-store"),
                new ResponseBody.Streamed(bytes, writer));
    }

    private static long parseBytes(String text, long max) {
        if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(Character::isDigit)) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "bytes must be a whole number");
        }
        long bytes = Long.parseLong(text);
        if (bytes > max) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "bytes must be at most " + max);
        }
        return bytes;
    }

    private static void stream(OutputStream out, long bytes, String requestId) throws java.io.IOException {
        long start = System.nanoTime();
        long left = bytes;
        while (left > 0) {
            int n = (int) Math.min(CHUNK.length, left);
            out.write(CHUNK, 0, n);
            left -= n;
        }
        out.flush();
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        LOG.atInfo().addKeyValue("request_id", requestId).addKeyValue("total_bytes", bytes)
                .addKeyValue("elapsed_seconds", seconds)
                .addKeyValue("throughput_bytes_per_second", (long) (bytes / seconds))
                .log("completed speedtest stream");
    }
}
