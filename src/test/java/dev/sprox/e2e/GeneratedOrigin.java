package dev.sprox.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * An origin inside the test JVM whose bodies are generated, never stored, so they can be far larger than
 * any heap: {@code /fixed/N} sends N bytes with {@code Content-Length}, {@code /chunked/N} the same bytes
 * chunked, {@code /endless} chunked until writing fails. It records how each body ended: the CRC32 of what it
 * wrote, or when a write failed.
 */
final class GeneratedOrigin implements AutoCloseable {
    static final int BLOCK = 64 * 1024;
    private static final byte[] TEXT = text();

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile CompletableFuture<Long> written = new CompletableFuture<>();
    private volatile CompletableFuture<Long> writeFailed = new CompletableFuture<>();
    private final AtomicInteger sending = new AtomicInteger();

    private GeneratedOrigin(HttpServer server) {
        this.server = server;
    }

    static GeneratedOrigin start() {
        try {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            var origin = new GeneratedOrigin(server);
            server.createContext("/fixed/", exchange -> origin.send(exchange, length(exchange), true));
            server.createContext("/chunked/", exchange -> origin.send(exchange, length(exchange), false));
            server.createContext("/endless", exchange -> origin.send(exchange, Long.MAX_VALUE, false));
            server.setExecutor(origin.handlers);
            server.start();
            return origin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Forgets how the previous body ended; call before each request whose outcome the test awaits. */
    void expectNextBody() {
        written = new CompletableFuture<>();
        writeFailed = new CompletableFuture<>();
    }

    /** Bodies the origin is writing now: each one's connection is open and its client has not gone away. */
    int bodiesInProgress() {
        return sending.get();
    }

    /** The CRC32 of the body the origin finished writing. */
    long awaitWrittenChecksum(Duration timeout) {
        return await(written, timeout, "finished writing its body");
    }

    /** {@link System#nanoTime()} when a write of the body failed because the other side went away. */
    long awaitWriteFailure(Duration timeout) {
        return await(writeFailed, timeout, "failed to write its body");
    }

    private static long await(CompletableFuture<Long> event, Duration timeout, String what) {
        try {
            return event.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the origin has not " + what + " within " + timeout);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long length(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
    }

    private void send(HttpExchange exchange, long length, boolean declareLength) throws IOException {
        CompletableFuture<Long> done = written;
        CompletableFuture<Long> failed = writeFailed;
        var checksum = new CRC32();
        sending.incrementAndGet();
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, declareLength ? length : 0);
            OutputStream out = exchange.getResponseBody();
            byte[] block = new byte[BLOCK];
            for (long sent = 0, index = 0; sent < length; index++) {
                int n = (int) Math.min(BLOCK, length - sent);
                fill(block, index);
                out.write(block, 0, n);
                checksum.update(block, 0, n);
                sent += n;
            }
            out.close();
            done.complete(checksum.getValue());
        } catch (IOException e) {
            failed.complete(System.nanoTime());
            throw e;
        } finally {
            sending.decrementAndGet();
        }
    }

    /**
     * Block {@code index} of every body: a fixed text with the block's number in front, so a block that is
     * lost, repeated or reordered on the way changes the checksum.
     */
    static void fill(byte[] block, long index) {
        System.arraycopy(TEXT, 0, block, 0, BLOCK);
        ByteBuffer.wrap(block).putLong(index);
    }

    private static byte[] text() {
        byte[] text = "sprox-generated-origin-".getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < block.length; i++) {
            block[i] = text[i % text.length];
        }
        return block;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
