package dev.sprox.upstream;

import dev.sprox.security.DestinationGuard;
import dev.sprox.security.DestinationRefused;
import dev.sprox.security.Refusal;
import java.net.URI;
import java.util.Locale;

/**
 * Decides whether {@link UpstreamClient} may send to a URI: the first one and every redirect hop. The returned
 * handle stays open until the response head has arrived, and is closed on every path.
 */
@FunctionalInterface
public interface HopCheck {

    Admitted admit(URI uri) throws UpstreamFailure;

    /** An open admission; closing it never fails. */
    interface Admitted extends AutoCloseable {
        @Override
        void close();
    }

    /** Direct streams: every hop through {@code guard}; a host that does not resolve is a 502, any other refusal 403. */
    static HopCheck guardedBy(DestinationGuard guard) {
        return uri -> {
            try {
                return guard.admit(uri)::close;
            } catch (DestinationRefused refused) {
                UpstreamFailure.Kind kind = refused.refusal() instanceof Refusal.Unresolvable
                        ? UpstreamFailure.Kind.UNREACHABLE : UpstreamFailure.Kind.REFUSED_DESTINATION;
                throw new UpstreamFailure(kind, refused.refusal().reason(), refused);
            }
        };
    }

    /**
     * Routes: the origin is the operator's and may be private, and so may every hop within it (same scheme, host
     * and port). A hop that leaves it passes {@code guard} (the direct endpoints' address checks, without an
     * allowlist) unless its host is in {@code targets.allowHosts()}; a refusal is logged with host and address.
     */
    static HopCheck leavingOrigin(URI origin, RedirectTargets targets, DestinationGuard guard) {
        return uri -> {
            if (UpstreamClient.sameOrigin(origin, uri) || allowedHost(uri, targets)) {
                return () -> { };
            }
            try {
                return guard.admit(uri)::close;
            } catch (DestinationRefused refused) {
                throw new UpstreamFailure(UpstreamFailure.Kind.REFUSED_REDIRECT,
                        "redirect off the origin refused: " + refused.getMessage(), refused);
            }
        };
    }

    private static boolean allowedHost(URI uri, RedirectTargets targets) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        String normal = host.toLowerCase(Locale.ROOT);
        return targets.allowHosts().stream().anyMatch(pattern -> pattern.matches(normal));
    }
}
