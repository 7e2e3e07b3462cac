package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.security.Secret;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SOCKS5 client handshake, byte for byte, against a scripted server. */
@Timeout(10)
class Socks5HandshakeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SUCCESS = HEX.parseHex("05000001000000000000");

    @Test
    void hostNamesAreSentForTheSocksServerToResolve() {
        byte[] request = Socks5Handshake.connectRequest("origin.example", 443);

        var expected = new ByteArrayOutputStream();
        expected.writeBytes(HEX.parseHex("05010003" + "0e"));
        expected.writeBytes("origin.example".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(HEX.parseHex("01bb"));
        assertArrayEquals(expected.toByteArray(), request);
    }

    @Test
    void ipLiteralsAreSentAsAddresses() {
        assertEquals("050100010a01020301bb", HEX.formatHex(Socks5Handshake.connectRequest("10.1.2.3", 443)));
        String v6 = "05010004" + "00000000000000000000000000000001" + "0050";
        assertEquals(v6, HEX.formatHex(Socks5Handshake.connectRequest("[::1]", 80)));
        assertEquals(v6, HEX.formatHex(Socks5Handshake.connectRequest("::1", 80)));
    }

    @Test
    void credentialsAreNegotiatedPerRfc1929AndTheTunnelStartsRightAfterTheReply() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = script(server, in -> {
                var log = new StringBuilder();
                log.append(HEX.formatHex(readN(in, 4))).append(' ');
                in.out.write(HEX.parseHex("0502"));
                log.append(HEX.formatHex(readN(in, 2 + 5 + 1 + 6))).append(' ');
                in.out.write(HEX.parseHex("0100"));
                log.append(HEX.formatHex(readN(in, 10)));
                in.out.write(SUCCESS);
                in.out.write("tunnel".getBytes(StandardCharsets.US_ASCII));
                return log.toString();
            });
            var socks = new Socks5Config("127.0.0.1", server.getLocalPort(), Optional.of("alice"),
                    Optional.of(new Secret("s3cret")));

            try (Socket tunnel = Socks5Handshake.connect(socks, "192.0.2.7", 8080, Duration.ofSeconds(2))) {
                assertEquals("tunnel", new String(tunnel.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
                assertEquals(0, tunnel.getSoTimeout(), "no read timeout left on the tunnel");
            }
            assertEquals("05020002 0105616c69636506733363726574 05010001c0000207" + "1f90",
                    seen.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void refusedConnectCarriesTheReplyCode() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            script(server, in -> {
                readN(in, 3);
                in.out.write(HEX.parseHex("0500"));
                readN(in, 10);
                in.out.write(HEX.parseHex("05040001000000000000"));
                return "";
            });
            var failure = assertThrows(Socks5Exception.class,
                    () -> Socks5Handshake.connect(noAuth(server), "10.0.0.1", 80, Duration.ofSeconds(2)));

            assertEquals(Socks5Exception.Failure.CONNECT_REFUSED, failure.failure());
            assertEquals(4, failure.replyCode());
            assertEquals("SOCKS5 server refused: host unreachable (4)", failure.getMessage());
        }
    }

    @Test
    void serverDemandingAuthenticationWithoutCredentialsIsReported() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            script(server, in -> {
                readN(in, 3);
                in.out.write(HEX.parseHex("05ff"));
                return "";
            });
            var failure = assertThrows(Socks5Exception.class,
                    () -> Socks5Handshake.connect(noAuth(server), "example.org", 80, Duration.ofSeconds(2)));

            assertEquals(Socks5Exception.Failure.NO_ACCEPTABLE_METHOD, failure.failure());
        }
    }

    @Test
    void silentServerTimesOutWithinTheDeadline() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThrows(java.net.SocketTimeoutException.class,
                    () -> Socks5Handshake.connect(noAuth(server), "example.org", 80, Duration.ofMillis(300)));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(true, tookMillis < 2000, "took " + tookMillis + " ms");
        }
    }

    private static Socks5Config noAuth(ServerSocket server) {
        return new Socks5Config("127.0.0.1", server.getLocalPort(), Optional.empty(), Optional.empty());
    }

    interface Script {
        String run(Peer in) throws IOException;
    }

    /** The accepted connection as the scripted server sees it. */
    static final class Peer extends DataInputStream {
        final java.io.OutputStream out;

        Peer(Socket socket) throws IOException {
            super(socket.getInputStream());
            out = socket.getOutputStream();
        }
    }

    private static byte[] readN(Peer in, int n) throws IOException {
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    /** Serves one connection with {@code script}, then keeps it open until the client closes. */
    private static CompletableFuture<String> script(ServerSocket server, Script script) {
        var result = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try (Socket socket = server.accept()) {
                var peer = new Peer(socket);
                result.complete(script.run(peer));
                peer.readAllBytes();
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
