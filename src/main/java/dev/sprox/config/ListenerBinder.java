package dev.sprox.config;

import dev.sprox.config.ConfigLoader.Declared;
import dev.sprox.http2.Http2Config;
import dev.sprox.security.IpLiteral;
import dev.sprox.server.ListenerConfig;
import dev.sprox.server.ServeGroup;
import dev.sprox.tls.TlsConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds a {@code listeners[]} entry or a route's inline {@code listen} block. */
final class ListenerBinder {
    private ListenerBinder() {}

    static Optional<Declared<ListenerConfig>> listener(Fields fields) {
        Optional<String> id = fields.requiredString("id");
        id.filter(i -> !i.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")).ifPresent(i ->
                fields.problem("id", "must be 1 to 64 letters, digits, '.', '_' or '-', found \"" + i + "\""));
        Optional<String> host = host(fields);
        Optional<Long> port = port(fields);
        Optional<String> redirect = fields.string("redirect_to_https").map(String::strip);
        Set<ServeGroup> serve = serve(fields, redirect.isPresent() ? Set.of() : ServeGroup.DEFAULT);
        boolean tlsGiven = fields.has("tls");
        Optional<TlsConfig> tls = fields.mapping("tls").flatMap(TlsBinder::tls);
        if (redirect.isPresent()) {
            redirectOnly(fields, tlsGiven, serve);
        }
        boolean http2Given = fields.has("http2");
        Optional<Http2Config> http2 = http2Given
                ? fields.mapping("http2").flatMap(h -> http2(h, tlsGiven))
                : Optional.of(Http2Config.DEFAULT);
        fields.rejectUnknown();
        if (id.isEmpty() || host.isEmpty() || port.isEmpty() || tlsGiven && tls.isEmpty() || http2.isEmpty()) {
            return Optional.empty();
        }
        var listener = new ListenerConfig(id.get(), host.get(), port.get().intValue(), serve, tls, redirect,
                http2.get());
        return Optional.of(new Declared<>(listener, fields.source(), fields.path()));
    }

    /**
     * A redirecting listener answers everything it does not serve with a redirect, so groups that would
     * answer every path (routes, direct) would leave nothing to redirect; and it is the plain side of a pair.
     */
    private static void redirectOnly(Fields fields, boolean tls, Set<ServeGroup> serve) {
        if (tls) {
            fields.problem("redirect_to_https", "a TLS listener cannot redirect to HTTPS; give redirect_to_https "
                    + "to the plain listener");
        }
        if (serve.contains(ServeGroup.ROUTES) || serve.contains(ServeGroup.DIRECT)) {
            fields.problem("serve", "a listener with redirect_to_https may serve only ops and admin; "
                    + "everything else is redirected");
        }
    }

    /** {@code listeners[].http2}: every key optional, each defaulting to {@link Http2Config#DEFAULT}'s value. */
    private static Optional<Http2Config> http2(Fields fields, boolean tls) {
        var d = Http2Config.DEFAULT;
        boolean enabled = fields.bool("enabled").orElse(d.enabled());
        boolean h2c = fields.bool("h2c").orElse(d.h2c());
        int streams = fields.integer("max_concurrent_streams", 1, 1000).orElse((long) d.maxConcurrentStreams())
                .intValue();
        int window = fields.integer("initial_window_size", Http2Config.MIN_WINDOW, Http2Config.MAX_WINDOW)
                .orElse((long) d.initialWindowSize()).intValue();
        int frame = fields.integer("max_frame_size", Http2Config.MIN_FRAME, Http2Config.MAX_FRAME)
                .orElse((long) d.maxFrameSize()).intValue();
        int headerList = fields.integer("max_header_list_size", 1024, 1024 * 1024)
                .orElse((long) d.maxHeaderListSize()).intValue();
        if (h2c && tls) {
            fields.problem("h2c", "h2c is HTTP/2 without TLS; a TLS listener offers h2 through ALPN already");
        }
        if (h2c && !enabled) {
            fields.problem("h2c", "h2c needs enabled: true");
        }
        fields.rejectUnknown();
        return Optional.of(new Http2Config(enabled, h2c, streams, window, frame, headerList));
    }

    /** The original's {@code listen: {host, port}} on a route: a listener named after its address. */
    static Optional<Declared<ListenerConfig>> inlineListen(Fields fields) {
        Optional<String> host = host(fields);
        Optional<Long> port = port(fields);
        if (fields.has("tls")) {
            fields.problem("tls", "declare TLS listeners under listeners: (with an id) and name them in the "
                    + "route's listeners: list");
        }
        fields.rejectUnknown();
        if (host.isEmpty() || port.isEmpty()) {
            return Optional.empty();
        }
        int portNumber = port.get().intValue();
        var listener = new ListenerConfig(ListenerConfig.address(host.get(), portNumber), host.get(), portNumber,
                ServeGroup.DEFAULT);
        return Optional.of(new Declared<>(listener, fields.source(), fields.path()));
    }

    private static Optional<String> host(Fields fields) {
        Optional<String> host = fields.requiredString("host").map(String::strip);
        if (host.isPresent() && !resolvable(host.get())) {
            fields.problem("host", "not an IP address or a name this machine can resolve: \"" + host.get() + "\"");
            return Optional.empty();
        }
        return host.map(h -> IpLiteral.parse(h).map(InetAddress::getHostAddress).orElse(h));
    }

    private static boolean resolvable(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (IpLiteral.parse(host).isPresent()) {
            return true;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Port 0 binds a free port (logged at start); useful for tests, never for production. */
    private static Optional<Long> port(Fields fields) {
        if (!fields.has("port")) {
            fields.missing("port");
            return Optional.empty();
        }
        return fields.integer("port", 0, 65_535);
    }

    private static Set<ServeGroup> serve(Fields fields, Set<ServeGroup> unlessGiven) {
        if (!fields.has("serve")) {
            return unlessGiven;
        }
        var groups = EnumSet.noneOf(ServeGroup.class);
        List<String> known = ConfigNames.all(ServeGroup.class);
        for (Fields.Item item : fields.list("serve")) {
            Values.string(item.node(), item.path(), fields.context()).ifPresent(name -> ConfigNames
                    .parse(ServeGroup.class, name)
                    .ifPresentOrElse(groups::add, () -> fields.context().problems().add(item.node().source(),
                            item.path(), "unknown endpoint group \"" + name + "\"; expected one of "
                                    + String.join(", ", known) + Suggestions.didYouMean(name, known))));
        }
        if (groups.isEmpty() && fields.node("serve").isPresent()) {
            fields.problem("serve", "must name at least one endpoint group");
        }
        return groups;
    }
}
