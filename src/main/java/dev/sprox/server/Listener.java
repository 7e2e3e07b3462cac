package dev.sprox.server;

import dev.sprox.tls.ServerTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound server socket and its accept loop, on a platform thread. The socket lives as long as its address
 * stays in the configuration; its id, endpoint groups and TLS may change with each reload. The socket is always
 * a plain one: TLS wraps each accepted connection (see {@link ServerTls}), so turning TLS on, off or changing it
 * never needs a rebind.
 */
public final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final int BACKLOG = 1024;

    private final ServerSocket socket;
    private final String key;
    private volatile ListenerConfig config;
    /** Present on HTTPS listeners; replaced when a reload changes the tls block, read once per connection. */
    private volatile Optional<ServerTls> tls = Optional.empty();

    private Listener(ServerSocket socket, String key, ListenerConfig config) {
        this.socket = socket;
        this.key = key;
        this.config = config;
    }

    static Listener bind(ListenerConfig config) throws IOException {
        var socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot bind listener \"" + config.id() + "\" to " + config.address() + ": "
                    + e.getMessage(), e);
        }
        return new Listener(socket, keyOf(config), config);
    }

    /** Listeners are kept across reloads by address; port 0 is not unique, so there the id counts too. */
    static String keyOf(ListenerConfig config) {
        return config.port() == 0 ? config.id() + "@" + config.address() : config.address();
    }

    String key() {
        return key;
    }

    public ListenerConfig config() {
        return config;
    }

    void update(ListenerConfig newConfig) {
        this.config = newConfig;
    }

    /** TLS for the connections accepted from now on; connections already open keep what they negotiated. */
    public Optional<ServerTls> tls() {
        return tls;
    }

    void secure(Optional<ServerTls> newTls) {
        this.tls = newTls;
    }

    /** The address actually bound: with port 0, the port the system picked. */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    void startAccepting(Consumer<Socket> onAccept) {
        Thread.ofPlatform().name("sprox-accept-" + config.id()).daemon(true).start(() -> {
            while (!socket.isClosed()) {
                try {
                    onAccept.accept(socket.accept());
                } catch (SocketException e) {
                    if (!socket.isClosed()) {
                        LOG.warn("accept failed on {}: {}", config.id(), e.getMessage());
                    }
                } catch (IOException e) {
                    LOG.warn("accept failed on {}: {}", config.id(), e.getMessage());
                }
            }
        });
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing listener {}: {}", config.id(), e.getMessage());
        }
    }
}
