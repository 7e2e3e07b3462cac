package dev.sprox.upstream;

import dev.sprox.http.HostPattern;
import dev.sprox.security.Cidr;
import java.util.List;

/**
 * Where a route's redirects may lead although the destination checks would refuse it
 * ({@code upstream.redirect.allow_hosts}, {@code allow_cidrs}). Hops within the origin are never checked.
 *
 * @param allowHosts hosts whose hops skip the address checks: an exact name or {@code *.domain}
 * @param allowCidrs addresses a hop may reach although they are private, loopback, link-local...
 */
public record RedirectTargets(List<HostPattern> allowHosts, List<Cidr> allowCidrs) {
    public static final RedirectTargets NONE = new RedirectTargets(List.of(), List.of());

    public RedirectTargets {
        allowHosts = List.copyOf(allowHosts);
        allowCidrs = List.copyOf(allowCidrs);
    }
}
