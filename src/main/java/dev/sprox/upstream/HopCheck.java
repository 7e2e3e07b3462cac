package dev.sprox.upstream;

import dev.sprox.security.DestinationGuard;
import dev.sprox.security.DestinationRefused;
import dev.sprox.security.Refusal;
import java.net.URI;

/**
 * Decides whether {@link UpstreamClient} may send to a URI: the first one and every redirect hop. The returned
 * handle stays open until the response head has arrived, and is closed on every path.
 */
@FunctionalInterface
public interface HopCheck {

    /** Routes: their origins are the operator's, and may well be private addresses. */
    HopCheck NONE = uri -> () -> { };

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
}
