package dev.sprox.drm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sprox.tls.CertifiedKey;
import dev.sprox.tls.PemCertificates;
import dev.sprox.tls.ServerPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS key server on loopback (JDK {@code HttpsServer}) that refuses any client without a certificate
 * from its CA, and answers {@code GET /keys/<hex kid>} with a ClearKey key set for the keys it was given. It
 * counts the requests that reached it, and can be held (every answer waits) to test coalescing and timeouts.
 */
final class MutualTlsKeyServer implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final HttpsServer server;
    private final Map<String, String> keysByHexKid = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger status = new AtomicInteger(200);
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private MutualTlsKeyServer(HttpsServer server) {
        this.server = server;
    }

    /** Serves as {@code identity}, trusting clients whose certificates {@code clientCa} issued. */
    static MutualTlsKeyServer start(ServerPki.Identity identity, Path clientCa)
            throws IOException, GeneralSecurityException {
        CertifiedKey served = CertifiedKey.load(identity.certificate(), identity.privateKey(), Optional.empty(),
                "key server");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", served.key(), PASSWORD, served.chain().toArray(Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<X509Certificate> authorities = PemCertificates.read(clientCa, "client CA");
        for (int i = 0; i < authorities.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        var keyServer = new MutualTlsKeyServer(server);
        server.createContext("/keys/", keyServer::answer);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return keyServer;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void add(Kid kid, String keyBase64Url) {
        keysByHexKid.put(kid.hex(), keyBase64Url);
    }

    /** Every answer waits until {@link #release} (at most ten seconds). */
    void holdAnswers() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String hex = exchange.getRequestURI().getPath().substring("/keys/".length());
            String key = keysByHexKid.get(hex);
            if (status.get() != 200 || key == null) {
                exchange.sendResponseHeaders(status.get() != 200 ? status.get() : 404, -1);
                return;
            }
            Kid kid = Kid.parse(hex).orElseThrow();
            byte[] body = ("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"" + kid.base64Url() + "\",\"k\":\"" + key
                    + "\"}]}").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
