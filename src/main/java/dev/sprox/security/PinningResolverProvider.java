package dev.sprox.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * JEP 418 resolver for the whole JVM (registered in META-INF/services): a name pinned by an open {@link Admission}
 * resolves to exactly its checked addresses, so DNS cannot answer differently between the guard's check and the
 * HttpClient's connect (DNS rebinding). Every other name goes to the JDK's built-in resolver, as without it.
 */
public final class PinningResolverProvider extends InetAddressResolverProvider {
    private static volatile InetAddressResolver builtin;

    public PinningResolverProvider() {}

    @Override
    public InetAddressResolver get(Configuration configuration) {
        builtin = configuration.builtinResolver();
        return new PinningResolver(configuration.builtinResolver());
    }

    @Override
    public String name() {
        return "sprox-pinning";
    }

    /** Whether the JDK uses this resolver; without it a guard could not promise that checked addresses are used. */
    static boolean installed() {
        if (builtin == null) {
            try {
                // The JDK installs its resolver on the first lookup of a name; localhost never leaves the machine.
                InetAddress.getAllByName("localhost");
            } catch (UnknownHostException e) {
                return builtin != null;
            }
        }
        return builtin != null;
    }

    /** The operating system's resolver without pins or the JDK's cache. */
    static Builtin builtin() {
        if (!installed()) {
            throw new IllegalStateException("the pinning resolver is not installed: META-INF/services/"
                    + InetAddressResolverProvider.class.getName() + " is missing from the class path");
        }
        return name -> builtin.lookupByName(name, InetAddressResolver.LookupPolicy.of(
                InetAddressResolver.LookupPolicy.IPV4 | InetAddressResolver.LookupPolicy.IPV6)).toList();
    }

    @FunctionalInterface
    interface Builtin {
        List<InetAddress> resolve(String name) throws UnknownHostException;
    }

    private record PinningResolver(InetAddressResolver delegate) implements InetAddressResolver {

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            Optional<List<InetAddress>> pinned = DnsPins.lookup(host);
            if (pinned.isEmpty()) {
                return delegate.lookupByName(host, policy);
            }
            List<InetAddress> answer = pinned.get().stream().filter(a -> wanted(a, policy))
                    .sorted(Comparator.comparingInt(a -> order(a, policy))).toList();
            if (answer.isEmpty()) {
                throw new UnknownHostException(host + ": no permitted address");
            }
            return answer.stream();
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            return delegate.lookupByAddress(address);
        }

        private static boolean wanted(InetAddress address, LookupPolicy policy) {
            int c = policy.characteristics();
            return address instanceof Inet4Address ? (c & LookupPolicy.IPV4) != 0
                    : address instanceof Inet6Address && (c & LookupPolicy.IPV6) != 0;
        }

        private static int order(InetAddress address, LookupPolicy policy) {
            int c = policy.characteristics();
            if ((c & LookupPolicy.IPV4_FIRST) != 0) {
                return address instanceof Inet4Address ? 0 : 1;
            }
            if ((c & LookupPolicy.IPV6_FIRST) != 0) {
                return address instanceof Inet6Address ? 0 : 1;
            }
            return 0;
        }
    }
}
