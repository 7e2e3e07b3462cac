package dev.sprox.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's own HTTP and HTTPS servers on 127.0.0.1 as origins. {@code /echo} answers with what the origin saw
 * (method, request URI, Host); {@code /upload} sends the request body back. The HTTPS certificate is a
 * self-signed EC one made with {@code keytool}, for IP 127.0.0.1; {@link #clientTls()} trusts it.
 */
final class Origins implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final HttpServer http;
    private final HttpsServer https;
    private final SSLContext clientTls;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** TLS connections accepted by the https origin (each one a distinct SOCKS tunnel). */
    final AtomicInteger httpsHandshakes = new AtomicInteger();

    Origins(Path dir) throws Exception {
        KeyStore keys = selfSigned(dir.resolve("origin.p12"));
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        var serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                httpsHandshakes.incrementAndGet(); // called once per accepted TLS connection
                super.configure(params);
            }
        });
        for (HttpServer server : new HttpServer[] {http, https}) {
            server.createContext("/echo", Origins::echo);
            server.createContext("/upload", Origins::upload);
            server.setExecutor(executor);
            server.start();
        }
    }

    int httpPort() {
        return http.getAddress().getPort();
    }

    int httpsPort() {
        return https.getAddress().getPort();
    }

    SSLContext clientTls() {
        return clientTls;
    }

    @Override
    public void close() {
        http.stop(0);
        https.stop(0);
        executor.shutdownNow();
    }

    private static void echo(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String text = "method=" + exchange.getRequestMethod() + "\n"
                    + "uri=" + exchange.getRequestURI() + "\n"
                    + "host=" + exchange.getRequestHeaders().getFirst("Host") + "\n";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static void upload(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static KeyStore selfSigned(Path file) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "origin", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
