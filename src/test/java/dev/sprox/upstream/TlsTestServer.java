package dev.sprox.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real TLS origin on 127.0.0.1 that answers every request with {@code 200 ok} and remembers the SNI names
 * clients sent.
 */
final class TlsTestServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final BlockingQueue<List<String>> requestedServerNames = new LinkedBlockingQueue<>();

    private TlsTestServer(SSLServerSocket socket) {
        this.socket = socket;
        Thread.ofPlatform().daemon().name("tls-test-server").start(this::acceptLoop);
    }

    /** Serves with the key store's identity. */
    static TlsTestServer start(KeyStore identity) throws IOException, GeneralSecurityException {
        return start(identity, Optional.empty(), new String[] {"TLSv1.3", "TLSv1.2"});
    }

    /** Serves only over the given protocol versions. */
    static TlsTestServer start(KeyStore identity, String... protocols) throws IOException, GeneralSecurityException {
        return start(identity, Optional.empty(), protocols);
    }

    /** Serves only clients presenting a certificate that {@code clientAuthorities} trusts. */
    static TlsTestServer requiringClientCertificates(KeyStore identity, KeyStore clientAuthorities)
            throws IOException, GeneralSecurityException {
        return start(identity, Optional.of(clientAuthorities), new String[] {"TLSv1.3", "TLSv1.2"});
    }

    private static TlsTestServer start(KeyStore identity, Optional<KeyStore> clientAuthorities, String[] protocols)
            throws IOException, GeneralSecurityException {
        // SunX509 serves whatever certificate it is given, expired ones included.
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509");
        keys.init(identity, TestPki.STORE_PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(clientAuthorities.orElse(null));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        socket.setEnabledProtocols(protocols);
        socket.setNeedClientAuth(clientAuthorities.isPresent());
        return new TlsTestServer(socket);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The SNI host names of the next completed handshake. */
    List<String> nextRequestedServerNames() throws InterruptedException {
        List<String> names = requestedServerNames.poll(5, TimeUnit.SECONDS);
        if (names == null) {
            throw new AssertionError("no handshake completed within 5 s");
        }
        return names;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                SSLSocket connection = (SSLSocket) socket.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // A failed accept only matters to the test through the client's view of it.
            }
        }
    }

    private void serve(SSLSocket connection) {
        try (connection) {
            connection.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            connection.startHandshake();
            requestedServerNames.add(((ExtendedSSLSession) connection.getSession()).getRequestedServerNames().stream()
                    .map(name -> ((SNIHostName) name).getAsciiName()).toList());
            readRequestHead(connection.getInputStream());
            connection.getOutputStream().write(
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // Handshakes that fail are the point of several tests; the client reports them.
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed before the end of the request head");
            }
            matched = next == end[matched] ? matched + 1 : (next == end[0] ? 1 : 0);
        }
    }
}
