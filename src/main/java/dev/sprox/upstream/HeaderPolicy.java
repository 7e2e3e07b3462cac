package dev.sprox.upstream;

import java.util.Set;

/**
 * Which headers cross the proxy. Names are lower-case. {@code allow} lets {@code Authorization} and
 * {@code Proxy-Authorization} through to the origin (they are dropped otherwise) and overrides {@code deny};
 * {@code deny} drops a header in both directions.
 */
public record HeaderPolicy(Set<String> allow, Set<String> deny, ForwardedFor xForwardedFor) {

    public static final HeaderPolicy DEFAULT = new HeaderPolicy(Set.of(), Set.of(), ForwardedFor.APPEND);

    public HeaderPolicy {
        allow = Set.copyOf(allow);
        deny = Set.copyOf(deny);
    }

    /** What happens to the client's {@code X-Forwarded-For}: extended with the client, or replaced by it. */
    public enum ForwardedFor { APPEND, REPLACE }
}
