package dev.sprox.drm;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.tls.CertifiedKey;
import dev.sprox.tls.PemCertificates;
import dev.sprox.tls.ServerPki;
import java.io.IOException;
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
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS key server on loopback (a {@link MockOrigin} requiring client certificates) that refuses any
 * client without a certificate from its CA in the handshake, and answers {@code GET /keys/<hex kid>} with a
 * ClearKey key set for the keys it was given. It counts the requests that reached it, and can be held (every
 * answer waits) to test coalescing and timeouts.
 */
final class MutualTlsKeyServer implements AutoCloseable {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String KEYS = "/keys/";

    private final MockOrigin origin;
    private final Map<String, String> keysByHexKid = new ConcurrentHashMap<>();
    final AtomicInteger status = new AtomicInteger(200);
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private MutualTlsKeyServer(MockOrigin origin) {
        this.origin = origin;
        origin.dispatch(this::answer);
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
        return new MutualTlsKeyServer(MockOrigin.startRequiringClientCertificates(context));
    }

    int port() {
        return origin.port();
    }

    /** Requests that reached the server: only a client with an accepted certificate gets one through. */
    int requests() {
        return origin.requestCount();
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

    private MockResponse answer(RecordedRequest request) throws InterruptedException {
        hold.await(10, TimeUnit.SECONDS);
        String hex = request.path().startsWith(KEYS) ? request.path().substring(KEYS.length()) : "";
        String key = keysByHexKid.get(hex);
        if (status.get() != 200 || key == null) {
            return MockResponse.status(status.get() != 200 ? status.get() : 404);
        }
        Kid kid = Kid.parse(hex).orElseThrow();
        return MockResponse.ok("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"" + kid.base64Url() + "\",\"k\":\"" + key
                + "\"}]}").type("application/json");
    }

    @Override
    public void close() {
        release();
        origin.close();
    }
}
