package dev.sprox.security;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A destination that passed {@link DestinationGuard#admit}. While it is open, the JDK's lookups of its host name
 * return only the addresses that were checked; close it once the response head has arrived (the connection is
 * made by then). Closing twice is harmless.
 *
 * @param addresses what the host was checked as: the literal's address, or every address the name resolved to
 */
public final class Admission implements AutoCloseable {
    private final URI destination;
    private final List<InetAddress> addresses;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    Admission(URI destination, List<InetAddress> addresses, Runnable release) {
        this.destination = destination;
        this.addresses = List.copyOf(addresses);
        this.release = release;
    }

    public URI destination() {
        return destination;
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
