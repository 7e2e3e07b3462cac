package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A player that stops reading mid-segment (paused, or a tab in the background) does not keep an origin connection
 * and what the HttpClient read ahead for it: sprox lets the origin go and, when the player reads on, asks for the
 * rest with a range conditional on the same representation. The player gets the same bytes either way, or, if the
 * origin's file changed meanwhile, a body cut short rather than two versions spliced together.
 */
class PausedClientTest extends OriginHarness {
    private static final int LENGTH = 4 * 1024 * 1024;
    private static final int BEFORE_PAUSE = 128 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    /** sprox lets go after 2 s; the HttpClient closes the connection on its selector's next pass, up to 3 s on. */
    private static final Duration RELEASED_WITHIN = Duration.ofSeconds(15);

    /** What the origin serves at /vod/seg.ts: ranges and If-Range as nginx answers them for a static file. */
    private record Version(byte[] bytes, Optional<String> etag) {}

    private final AtomicReference<Version> file = new AtomicReference<>();

    @Test
    @Timeout(60)
    void aPausedPlayerLetsGoOfTheOriginAndStillGetsEveryByte() throws Exception {
        byte[] media = media(1);
        serve(new Version(media, Optional.of("\"5f1e-v1\"")));

        try (Socket player = pausingPlayer()) {
            InputStream in = player.getInputStream();
            int length = readHead(in);
            byte[] before = in.readNBytes(BEFORE_PAUSE);

            awaitOriginConnections(0);
            byte[] rest = in.readNBytes(length - BEFORE_PAUSE);

            assertEquals(LENGTH, length);
            assertArrayEquals(media, concat(before, rest));
        }
        List<RecordedRequest> requests = origin.requests("/vod/seg.ts");
        assertEquals(2, requests.size(), requests::toString);
        assertEquals(Optional.of("\"5f1e-v1\""), requests.get(1).header("If-Range"));
        Matcher range = RANGE.matcher(requests.get(1).header("Range").orElse(""));
        assertTrue(range.matches(), requests.get(1)::toString);
        assertTrue(Integer.parseInt(range.group(1)) >= BEFORE_PAUSE, range.group());
        assertEquals(LENGTH - 1, Integer.parseInt(range.group(2)));
    }

    @Test
    @Timeout(60)
    void aFileReplacedWhileThePlayerPausedCutsTheBodyShortInsteadOfSplicingIt() throws Exception {
        byte[] media = media(1);
        serve(new Version(media, Optional.of("\"5f1e-v1\"")));

        try (Socket player = pausingPlayer()) {
            InputStream in = player.getInputStream();
            int length = readHead(in);
            byte[] before = in.readNBytes(BEFORE_PAUSE);
            awaitOriginConnections(0);
            file.set(new Version(media(2), Optional.of("\"5f1e-v2\"")));

            byte[] rest = in.readAllBytes();

            byte[] received = concat(before, rest);
            assertTrue(received.length < length, "a body of " + received.length + " bytes was not cut short");
            assertArrayEquals(Arrays.copyOf(media, received.length), received, "the player got bytes of v2");
        }
        assertEquals(200, fetch("/health").statusCode());
    }

    @Test
    @Timeout(60)
    void withoutAStrongEtagTheOriginIsKeptWhileThePlayerPauses() throws Exception {
        byte[] media = media(1);
        serve(new Version(media, Optional.of("W/\"5f1e-v1\"")));

        try (Socket player = pausingPlayer()) {
            InputStream in = player.getInputStream();
            int length = readHead(in);
            byte[] before = in.readNBytes(BEFORE_PAUSE);
            Thread.sleep(6_000);
            assertEquals(1, origin.openConnections(), "the origin was let go of a body that cannot be resumed");

            byte[] rest = in.readNBytes(length - BEFORE_PAUSE);

            assertArrayEquals(media, concat(before, rest));
        }
        assertEquals(1, origin.requests("/vod/seg.ts").size());
    }

    private void serve(Version version) throws Exception {
        file.set(version);
        origin.dispatch(this::answer);
        start(route("vod", origin.url("/vod")));
    }

    /** Range only when If-Range names the current version (RFC 9110 §13.1.5); a weak tag never matches. */
    private MockResponse answer(RecordedRequest request) {
        Version current = file.get();
        Matcher range = RANGE.matcher(request.header("Range").orElse(""));
        Optional<String> ifRange = request.header("If-Range");
        boolean partial = range.matches() && (ifRange.isEmpty()
                || current.etag().filter(tag -> !tag.startsWith("W/")).equals(ifRange));
        MockResponse response;
        if (partial) {
            int first = Integer.parseInt(range.group(1));
            int last = Integer.parseInt(range.group(2));
            response = MockResponse.ok(Arrays.copyOfRange(current.bytes(), first, last + 1)).withStatus(206)
                    .header("Content-Range", "bytes " + first + "-" + last + "/" + current.bytes().length);
        } else {
            response = MockResponse.ok(current.bytes());
        }
        response.type("video/mp2t").header("Accept-Ranges", "bytes");
        current.etag().ifPresent(tag -> response.header("ETag", tag));
        return response;
    }

    /** A player with a small receive buffer, so that sprox's writes block as soon as it stops reading. */
    private Socket pausingPlayer() throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(address("public"), 5_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write("GET /seg.ts HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    /** Reads the answer's head; returns its Content-Length. */
    private static int readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200"), text);
        Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(text);
        assertTrue(length.find(), text);
        return Integer.parseInt(length.group(1));
    }

    private void awaitOriginConnections(int expected) throws InterruptedException, SocketTimeoutException {
        long deadline = System.nanoTime() + RELEASED_WITHIN.toNanos();
        while (origin.openConnections() != expected) {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException(origin.openConnections() + " origin connections open after "
                        + RELEASED_WITHIN + ", not " + expected);
            }
            Thread.sleep(50);
        }
    }

    private static byte[] media(long seed) {
        byte[] bytes = new byte[LENGTH];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
