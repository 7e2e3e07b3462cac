package dev.sprox.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into every address it has. Tests give {@link DestinationGuard} a fixture instead of DNS. */
@FunctionalInterface
public interface HostResolver {

    /** @throws UnknownHostException when the name has no address */
    List<InetAddress> resolve(String name) throws UnknownHostException;

    /** The operating system's resolver, asked directly: neither the JDK's cache nor a pin answers it. */
    static HostResolver system() {
        PinningResolverProvider.Builtin builtin = PinningResolverProvider.builtin();
        return builtin::resolve;
    }
}
