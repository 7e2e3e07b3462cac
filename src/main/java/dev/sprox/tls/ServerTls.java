package dev.sprox.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS termination for one listener: the JSSE context, the certificates it serves, and their reloading. The
 * listener's socket stays a plain {@code ServerSocket}; each accepted connection is wrapped here, so a reload
 * can change protocols or certificates for new connections without rebinding, and the handshake runs on the
 * connection's own virtual thread, under a deadline, where its outcome is measured.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** Serialises the brief change of a JVM-wide property around context creation; see {@link #context}. */
    private static final ReentrantLock CONTEXT_CREATION = new ReentrantLock();
    private static final String TICKETS_PROPERTY = "jdk.tls.server.enableSessionTicketExtension";

    /**
     * Accepts every name: an unknown one gets the default certificate. It is here because JSSE records the
     * negotiated name only when a matcher is set, and RFC 6066 §3 forbids resuming a session made for one name
     * under another; without a matcher JSSE would resume a.example.com's session for b.example.com.
     */
    private static final SNIMatcher ANY_HOST_NAME = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return true;
        }
    };

    private final String listener;
    private final TlsConfig config;
    private final SSLContext context;
    private final SSLParameters parameters;
    private final SniKeyManager keys;
    private final TlsObserver observer;
    private final ReentrantLock reloading = new ReentrantLock();
    /** Digest of the files now served, and of the last refused ones (reported once, not on every check). */
    private byte[] servedDigest;
    private byte[] refusedDigest;
    /** Whether the listener serves with this context, so its certificates are reported (guarded by the lock). */
    private boolean announced;

    private ServerTls(String listener, TlsConfig config, SSLContext context, SniKeyManager keys,
                      TlsObserver observer) {
        this.listener = listener;
        this.config = config;
        this.context = context;
        this.keys = keys;
        this.observer = observer;
        this.parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(config.protocols().toArray(String[]::new));
        parameters.setCipherSuites(config.cipherSuites().toArray(String[]::new));
        parameters.setUseCipherSuitesOrder(true);
        parameters.setApplicationProtocols(TlsPolicy.APPLICATION_PROTOCOLS.toArray(String[]::new));
        parameters.setSNIMatchers(List.of(ANY_HOST_NAME));
    }

    /**
     * Loads and checks the certificates, prepares the ACME directory and builds the context.
     *
     * @throws IOException naming the listener and what is wrong, when anything cannot be used
     */
    public static ServerTls create(String listener, TlsConfig config, TlsObserver observer) throws IOException {
        try {
            if (config.acme().isPresent()) {
                AcmeWebroot.prepare(config.acme().get());
            }
            byte[] digest = digest(config);
            CertificateSet certificates = CertificateSet.load(config, Instant.now());
            var keys = new SniKeyManager(certificates);
            var tls = new ServerTls(listener, config, context(keys, config.session()), keys, observer);
            tls.serve(certificates, digest);
            return tls;
        } catch (IOException e) {
            throw new IOException("listener \"" + listener + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Session tickets can only be switched off JVM-wide, through a property the JDK reads as each server
     * context is created (SSLSessionContextImpl); so it is set for the creation, under a lock, and put back.
     */
    private static SSLContext context(SniKeyManager keys, TlsConfig.Session session) throws IOException {
        CONTEXT_CREATION.lock();
        String before = System.getProperty(TICKETS_PROPERTY);
        try {
            System.setProperty(TICKETS_PROPERTY, String.valueOf(session.tickets()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            context.getServerSessionContext().setSessionCacheSize(session.cacheSize());
            context.getServerSessionContext().setSessionTimeout((int) session.timeoutSecs());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS context: " + e.getMessage(), e);
        } finally {
            if (before == null) {
                System.clearProperty(TICKETS_PROPERTY);
            } else {
                System.setProperty(TICKETS_PROPERTY, before);
            }
            CONTEXT_CREATION.unlock();
        }
    }

    public TlsConfig config() {
        return config;
    }

    /**
     * Makes the TLS handshake on an accepted connection, within {@code timeout}. A failure is counted and logged
     * at debug only (scanners fail handshakes all day), and the caller just closes the socket.
     *
     * @param offerH2 whether ALPN may choose {@code h2}: the listener's {@code http2.enabled}, read per connection
     */
    public Optional<SSLSocket> handshake(Socket accepted, Duration timeout, boolean offerH2) {
        long start = System.nanoTime();
        try {
            var socket = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true);
            socket.setSSLParameters(parameters);
            socket.setHandshakeApplicationProtocolSelector(
                    (engine, offered) -> TlsPolicy.applicationProtocol(offered, offerH2));
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.startHandshake();
            socket.setSoTimeout(0);
            observer.handshake(listener, HandshakeResult.SUCCESS, System.nanoTime() - start);
            return Optional.of(socket);
        } catch (IOException e) {
            HandshakeResult result = HandshakeResult.of(e);
            observer.handshake(listener, result, System.nanoTime() - start);
            LOG.atDebug().addKeyValue("listener", listener).addKeyValue("result", result.label())
                    .addKeyValue("peer", String.valueOf(accepted.getRemoteSocketAddress()))
                    .log("TLS handshake failed: {}", e instanceof SSLException ? e.getMessage() : e.toString());
            return Optional.empty();
        }
    }

    /**
     * Loads the certificates again (SIGHUP) and returns the swap, to be run once every listener is ready, so a
     * reload stays all or nothing.
     */
    public Runnable prepareReload() throws IOException {
        byte[] digest = digest(config);
        CertificateSet certificates;
        try {
            certificates = CertificateSet.load(config, Instant.now());
        } catch (IOException e) {
            throw new IOException("listener \"" + listener + "\": " + e.getMessage(), e);
        }
        return () -> {
            reloading.lock();
            try {
                serve(certificates, digest);
            } finally {
                reloading.unlock();
            }
        };
    }

    /**
     * Starts reporting: called when the listener begins serving with this context, which may be long after it
     * was created (a reload prepares every listener before any changes).
     */
    public void announce() {
        reloading.lock();
        try {
            announced = true;
            observer.listenerSecured(listener);
            observer.certificatesServed(listener, keys.certificates().expiryByHost());
        } finally {
            reloading.unlock();
        }
    }

    /** The listener closed or serves with another context now: these certificates no longer count as served. */
    public void retire() {
        reloading.lock();
        try {
            announced = false;
            observer.certificatesServed(listener, java.util.Map.of());
        } finally {
            reloading.unlock();
        }
    }

    /** Reloads when the files' contents changed since they were served or last refused. */
    void refreshIfChanged() {
        reloading.lock();
        try {
            byte[] digest = digest(config);
            if (Arrays.equals(digest, servedDigest) || Arrays.equals(digest, refusedDigest)) {
                return;
            }
            try {
                serve(CertificateSet.load(config, Instant.now()), digest);
                observer.certificatesReloaded(listener, true);
                LOG.atInfo().addKeyValue("listener", listener).log("changed certificates are now served");
            } catch (IOException e) {
                refusedDigest = digest;
                observer.certificatesReloaded(listener, false);
                LOG.atError().addKeyValue("listener", listener).addKeyValue("problem", e.getMessage())
                        .log("changed certificates refused; the previous ones keep serving");
            }
        } finally {
            reloading.unlock();
        }
    }

    private void serve(CertificateSet certificates, byte[] digest) {
        keys.swap(certificates);
        servedDigest = digest;
        refusedDigest = null;
        if (announced) {
            observer.certificatesServed(listener, certificates.expiryByHost());
        }
        Instant warnAfter = Instant.now().plus(Duration.ofDays(config.expiryWarningDays()));
        certificates.expiryByHost().forEach((host, notAfter) -> {
            if (notAfter.isBefore(warnAfter)) {
                LOG.atWarn().addKeyValue("listener", listener).addKeyValue("host", host)
                        .addKeyValue("not_after", notAfter.toString())
                        .log("certificate expires within tls.expiry_warning_days; renew it");
            }
        });
    }

    boolean watchesFiles() {
        return config.watchForChanges();
    }

    Duration recheckInterval() {
        return config.recheckInterval();
    }

    /**
     * The directories whose entries change when a certificate is renewed: each file's own directory (where
     * certbot's and Kubernetes' symlinks are swapped) and, for a symlink, the directory of its current target.
     */
    Set<Path> watchedDirectories() {
        var directories = new LinkedHashSet<Path>();
        for (TlsConfig.Certificate certificate : config.certificates()) {
            for (Path file : List.of(certificate.certificatePath(), certificate.privateKeyPath())) {
                Path absolute = file.toAbsolutePath();
                directories.add(absolute.getParent());
                try {
                    directories.add(absolute.toRealPath().getParent());
                } catch (IOException e) {
                    // Missing right now (mid-swap); the next check registers it.
                }
            }
        }
        return directories;
    }

    /** A digest of every file's current content; a file that cannot be read counts as its own distinct state. */
    private static byte[] digest(TlsConfig config) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        for (TlsConfig.Certificate certificate : config.certificates()) {
            for (Path file : List.of(certificate.certificatePath(), certificate.privateKeyPath())) {
                try {
                    sha256.update(Files.readAllBytes(file));
                } catch (IOException | UncheckedIOException e) {
                    sha256.update(("unreadable " + file + ": " + e.getMessage()).getBytes(
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                sha256.update((byte) 0);
            }
        }
        return sha256.digest();
    }
}
