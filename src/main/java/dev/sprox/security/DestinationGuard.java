package dev.sprox.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one check every user-supplied destination passes, on every redirect hop: scheme, host spelling, allowlist,
 * then the addresses (SSRF). Literal hosts are judged before any lookup; names are resolved once and pinned for
 * the HttpClient, so the address connected to is an address that was checked.
 */
public final class DestinationGuard {
    /** Empty: any host may be asked for, and only its addresses are judged. */
    private final Optional<List<AllowRule>> allowlist;
    private final List<Cidr> allowCidrs;
    private final HostResolver resolver;

    /**
     * @param allowlist  destinations that may be fetched at all; empty allows nothing
     * @param allowCidrs the only way to reach an address the guard otherwise forbids (tests use 127.0.0.1/32)
     * @throws IllegalStateException when the JDK does not use {@link PinningResolverProvider}: refusing to start
     *                               beats a guard whose checks DNS could undo
     */
    public DestinationGuard(List<AllowRule> allowlist, List<Cidr> allowCidrs, HostResolver resolver) {
        this(Optional.of(List.copyOf(allowlist)), allowCidrs, resolver);
    }

    private DestinationGuard(Optional<List<AllowRule>> allowlist, List<Cidr> allowCidrs, HostResolver resolver) {
        this.allowlist = allowlist;
        this.allowCidrs = List.copyOf(allowCidrs);
        this.resolver = resolver;
        PinningResolverProvider.builtin();
    }

    /**
     * The guard for a route's redirect hops that leave its origin: the origin chose the host, so there is no
     * allowlist, but every other check applies (spelling, forbidden addresses, one lookup, pinning).
     */
    public static DestinationGuard anyHost(List<Cidr> allowCidrs, HostResolver resolver) {
        return new DestinationGuard(Optional.empty(), allowCidrs, resolver);
    }

    /** Checks {@code destination}; the caller holds the admission open until the response head has arrived. */
    public Admission admit(URI destination) throws DestinationRefused {
        String scheme = destination.getScheme() == null ? "" : destination.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(new Refusal.BadScheme(scheme));
        }
        String host = host(destination)
                .orElseThrow(() -> refused(new Refusal.MalformedHost("", "no host")));
        return switch (HostText.parse(host)) {
            case HostText.Malformed m -> throw refused(new Refusal.MalformedHost(host, m.why()));
            case HostText.Address a -> literal(destination, host, a);
            case HostText.Name n -> name(destination, host, n.name());
        };
    }

    private Admission literal(URI destination, String host, HostText.Address literal) throws DestinationRefused {
        InetAddress address = literal.address();
        check(host, address);
        // 0177.0.0.1 is 127.0.0.1 to inet_aton and 177.0.0.1 to Java: whatever the spelling reaches, refuse it.
        if (!literal.canonical() || destination.getHost() == null) {
            throw refused(new Refusal.MalformedHost(host, "ambiguous address; write it as " + address.getHostAddress()));
        }
        allowlisted(destination, host);
        // A literal needs no pin: the HttpClient parses it without asking any resolver.
        return new Admission(destination, List.of(address), () -> { });
    }

    private Admission name(URI destination, String host, String name) throws DestinationRefused {
        // RFC 6761 §6.3: localhost and every name under it are loopback, whatever a resolver says.
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            throw refused(new Refusal.ForbiddenAddress(host, InetAddress.getLoopbackAddress(), AddressCategory.LOOPBACK));
        }
        if (destination.getHost() == null) {
            throw refused(new Refusal.MalformedHost(host, "not a valid host name"));
        }
        allowlisted(destination, name);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw refused(new Refusal.Unresolvable(host));
        }
        if (addresses.isEmpty()) {
            throw refused(new Refusal.Unresolvable(host));
        }
        // Every address, not just one: the HttpClient picks which to connect to, and a name that also points
        // inside is an attack (or a mistake) to refuse rather than to answer from its public half.
        for (InetAddress address : addresses) {
            check(host, address);
        }
        Runnable release = DnsPins.pin(name, new DnsPins.Pin(addresses, this::permitted));
        try {
            jdkView(destination.getHost(), host);
        } catch (DestinationRefused refused) {
            release.run();
            throw refused;
        }
        return new Admission(destination, addresses, release);
    }

    /**
     * The JDK keeps its own cache of lookups (30 s by default) in front of any resolver, so an answer cached from
     * an earlier, unpinned lookup of this name could still win over the pin. With the pin in place every fresh
     * lookup returns checked addresses; this checks what the cache holds too, under the same policy.
     */
    private void jdkView(String uriHost, String host) throws DestinationRefused {
        InetAddress[] seen;
        try {
            seen = InetAddress.getAllByName(uriHost);
        } catch (UnknownHostException e) {
            throw refused(new Refusal.Unresolvable(host));
        }
        for (InetAddress address : seen) {
            check(host, address);
        }
    }

    private void check(String host, InetAddress address) throws DestinationRefused {
        if (!permitted(address)) {
            throw refused(new Refusal.ForbiddenAddress(host, address,
                    ForbiddenAddresses.categoryOf(address).orElseThrow()));
        }
    }

    private boolean permitted(InetAddress address) {
        return allowCidrs.stream().anyMatch(c -> c.contains(address))
                || ForbiddenAddresses.categoryOf(address).isEmpty();
    }

    private void allowlisted(URI destination, String host) throws DestinationRefused {
        if (allowlist.isEmpty()) {
            return;
        }
        String normalised = AllowRule.normalise(host);
        if (allowlist.get().stream().noneMatch(rule -> rule.matches(destination, normalised))) {
            throw refused(new Refusal.NotAllowlisted(host));
        }
    }

    /** The host as written, also when {@link URI} found it no server name ({@code 127.1}, {@code 0x7f.1}). */
    private static Optional<String> host(URI destination) {
        if (destination.getHost() != null) {
            return Optional.of(destination.getHost());
        }
        String authority = destination.getRawAuthority();
        if (authority == null) {
            return Optional.empty();
        }
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.startsWith("[") ? hostPort.indexOf(':', hostPort.indexOf(']')) : hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }

    private static DestinationRefused refused(Refusal refusal) {
        return new DestinationRefused(refusal);
    }
}
