package dev.sprox.upstream;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
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
 * only, whatever JVM-wide settings such as {@code jdk.tls.client.protocols} allow.
 *
 * <p>HttpClient uses engines only, so the socket factories are refused rather than quietly skipping the rule.
 */
final class UpstreamSslContext extends SSLContext {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    UpstreamSslContext(SSLContext initialised) {
        super(new Spi(initialised), initialised.getProvider(), initialised.getProtocol());
    }

    private static final class Spi extends SSLContextSpi {

        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine engine = delegate.createSSLEngine(host, port);
            engine.setEnabledProtocols(PROTOCOLS.clone());
            return engine;
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
            throw new UnsupportedOperationException("upstream TLS contexts serve HttpClient, which uses SSLEngine");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("upstream TLS contexts serve HttpClient, which uses SSLEngine");
        }
    }
}
