package dev.sprox.route;

import dev.sprox.security.DestinationGuard;
import dev.sprox.security.HostResolver;
import dev.sprox.telemetry.Metrics;
import dev.sprox.upstream.HopCheck;
import dev.sprox.upstream.Socks5Bridge;
import dev.sprox.upstream.UpstreamClient;
import dev.sprox.upstream.UpstreamEvents;
import dev.sprox.upstream.UpstreamTls;
import dev.sprox.upstream.PlaylistCoalescer;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a snapshot's route table: TLS material loaded, SOCKS5 bridges started, clients created. Anything
 * that fails is reported per route and nothing built is left open.
 */
public final class RouteTableBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(RouteTableBuilder.class);

    private RouteTableBuilder() {}

    /** The table could not be built; each entry names the route and what went wrong. */
    public static final class BuildFailed extends Exception {
        private final List<String> problems;

        BuildFailed(List<String> problems) {
            super(String.join("; ", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static RouteTable build(List<RouteConfig> configs, Metrics metrics) throws BuildFailed {
        var routes = new ArrayList<Route>();
        var problems = new ArrayList<String>();
        for (RouteConfig config : configs) {
            try {
                routes.add(route(config, metrics));
            } catch (IOException | GeneralSecurityException e) {
                problems.add("route \"" + config.id() + "\": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            routes.forEach(Route::close);
            throw new BuildFailed(problems);
        }
        return new RouteTable(routes);
    }

    private static Route route(RouteConfig config, Metrics metrics) throws IOException, GeneralSecurityException {
        var upstream = config.upstream();
        if (upstream.tls().insecureSkipVerify()) {
            LOG.atWarn().addKeyValue("route", config.id())
                    .log("upstream TLS certificates are not verified for this route (insecure_skip_verify)");
        }
        SSLContext tls = UpstreamTls.sslContext(upstream.tls());
        Optional<Socks5Bridge> bridge = upstream.socks5().isPresent()
                ? Optional.of(Socks5Bridge.start(upstream.socks5().get(), upstream.connectTimeout()))
                : Optional.empty();
        HopCheck hops = HopCheck.leavingOrigin(upstream.origin(), upstream.redirectTargets(),
                DestinationGuard.anyHost(upstream.redirectTargets().allowCidrs(), HostResolver.system()));
        Metrics.PausedBodies paused = metrics.pausedBodies(config.id());
        var client = new UpstreamClient(upstream, tls, bridge.map(Socks5Bridge::proxySelector), hops,
                new UpstreamEvents() {
                    @Override
                    public void retried() {
                        metrics.upstreamRetried(config.id());
                    }

                    @Override
                    public void released() {
                        paused.released().run();
                    }

                    @Override
                    public void resumed(boolean whole) {
                        (whole ? paused.resumedWhole() : paused.resumedCut()).run();
                    }
                });
        var playlists = new PlaylistCoalescer<PlaylistKey>(upstream.readTimeout(),
                () -> metrics.playlistFetched(config.id()), () -> metrics.playlistCoalesced(config.id()));
        return new Route(config, client, bridge, playlists);
    }
}
