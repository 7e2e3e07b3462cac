package dev.sprox.tls;

import dev.sprox.testing.ExternalProgram;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Clients for TLS listener tests: a JDK client that trusts the test CA and sends the SNI name it is told (or
 * none), raw HTTP over plain TCP, and {@code openssl s_client} as an independent implementation.
 */
public final class TlsClient {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final javax.net.ssl.TrustManager[] trust;

    public TlsClient(Path caCertificate) throws IOException, GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(caCertificate)) {
            anchors.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        this.trust = trust.getTrustManagers();
    }

    /** A client context trusting only the test CA, for HTTP clients (the JDK HttpClient) to use. */
    public javax.net.ssl.SSLContext context() throws GeneralSecurityException {
        var context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    /**
     * A handshaken connection; with {@code serverName} empty, no SNI extension is sent at all. Each connection
     * has a context of its own, so no session is resumed and every handshake shows the certificate chosen now.
     */
    public SSLSocket connect(int port, Optional<String> serverName, String... applicationProtocols) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        var socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName.<List<javax.net.ssl.SNIServerName>>map(
                name -> List.of(new SNIHostName(name))).orElse(List.of()));
        if (applicationProtocols.length > 0) {
            parameters.setApplicationProtocols(applicationProtocols);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** The certificate the listener presents for {@code serverName}. */
    public X509Certificate certificate(int port, Optional<String> serverName) throws IOException {
        try (SSLSocket socket = connect(port, serverName)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** The certificate's subject CN, which the test PKI sets to the first DNS name. */
    public String commonName(int port, Optional<String> serverName) throws IOException {
        return certificate(port, serverName).getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    /** {@code GET path} over TLS with {@code Connection: close}; the whole response as text. */
    public String get(int port, String serverName, String path) throws IOException {
        try (SSLSocket socket = connect(port, Optional.of(serverName))) {
            return exchange(socket, serverName, path);
        }
    }

    /** {@code GET path} over plain TCP with the given {@code Host}; the whole response as text. */
    public static String plainGet(int port, String host, String path) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return exchange(socket, host, path);
        }
    }

    private static String exchange(Socket socket, String host, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        var response = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(response);
        return response.toString(StandardCharsets.ISO_8859_1);
    }

    /** Runs {@code openssl s_client} against the port with stdin at end of file; everything it printed. */
    public static String sClient(int port, String... arguments) throws IOException {
        return sClient(port, Optional.empty(), arguments);
    }

    /**
     * Runs {@code openssl s_client}, sending {@code request} and reading until the server closes. TLS 1.3
     * session tickets arrive after the handshake, so a session worth saving needs this exchange.
     */
    static String sClientRequest(int port, String host, String... arguments) throws IOException {
        return sClientUntilClosed(port, "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n",
                arguments);
    }

    /** Runs {@code openssl s_client}, sending {@code request} and reading until the server closes. */
    static String sClientUntilClosed(int port, String request, String... arguments) throws IOException {
        var all = new ArrayList<>(List.of(arguments));
        all.add("-ign_eof");
        return sClient(port, Optional.of(request), all.toArray(String[]::new));
    }

    private static String sClient(int port, Optional<String> input, String... arguments) throws IOException {
        var command = new ArrayList<>(List.of(ExternalProgram.openssl(), "s_client", "-connect", "127.0.0.1:" + port));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (input.isEmpty()) {
            builder.redirectInput(new File("/dev/null"));
        }
        // The distribution's openssl.cnf may pin a minimum protocol; the tests choose their own.
        builder.environment().put("OPENSSL_CONF", "/dev/null");
        Process process = builder.start();
        if (input.isPresent()) {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.get().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        try (InputStream output = process.getInputStream()) {
            String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("openssl s_client did not finish:\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
