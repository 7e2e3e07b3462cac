package dev.sprox.upstream;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The SSLContext an upstream HttpClient gets: an initialised JSSE context whose engines speak TLS 1.2 and 1.3
 * only (whatever JVM-wide settings such as {@code jdk.tls.client.protocols} allow) and, when the route sets
 * {@code sniHostname}, are made for that name instead of the request URI's host.
 *
 * <p>Why wrap the context: HttpClient makes every SSLEngine itself, calling {@code createSSLEngine(uriHost, port)}
 * and then {@code setSSLParameters} with SNI = the URI host and endpoint identification "HTTPS", which overrides
 * anything set through {@code HttpClient.Builder.sslParameters}. Creating the engine is the one per-client hook
 * left: the engine is made with the SNI name as its peer host, which is the name JSSE verifies the certificate
 * against, and a {@link ServerNameOverridingEngine} puts the name back into the SNI extension. Rejected: a trust
 * manager that checks {@code sniHostname} (still sends the wrong SNI); rewriting the URI to the SNI name
 * (HttpClient has no per-client resolver to still reach the origin's address, and Host would change); the
 * {@code jdk.internal.httpclient.disableHostnameVerification} property (JVM-wide, and sends no SNI either).
 *
 * <p>HttpClient uses engines only, so the socket factories are refused rather than quietly skipping both rules.
 */
final class UpstreamSslContext extends SSLContext {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    UpstreamSslContext(SSLContext initialised, Optional<SNIHostName> serverName) {
        super(new Spi(initialised, serverName), initialised.getProvider(), initialised.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext delegate;
        private final Optional<SNIHostName> serverName;

        Spi(SSLContext delegate, Optional<SNIHostName> serverName) {
            this.delegate = delegate;
            this.serverName = serverName;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine engine = delegate.createSSLEngine(serverName.map(SNIHostName::getAsciiName).orElse(host), port);
            engine.setEnabledProtocols(PROTOCOLS.clone());
            return serverName.<SSLEngine>map(name -> new ServerNameOverridingEngine(engine, name)).orElse(engine);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            SSLEngine engine = delegate.createSSLEngine();
            engine.setEnabledProtocols(PROTOCOLS.clone());
            return engine;
        }

        // HttpClient starts every connection from these parameters, so this is where the protocols are pinned.
        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLParameters parameters = delegate.getDefaultSSLParameters();
            parameters.setProtocols(PROTOCOLS.clone());
            return parameters;
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("upstream TLS contexts are initialised when built");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new IllegalStateException("upstream TLS contexts serve HttpClient, which uses SSLEngine only");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new IllegalStateException("upstream TLS contexts serve HttpClient, which uses SSLEngine only");
        }
    }
}
