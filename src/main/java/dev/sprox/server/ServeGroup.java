package dev.sprox.server;

import java.util.EnumSet;
import java.util.Set;

/** The endpoint groups a listener can answer (DESIGN §2). */
public enum ServeGroup {
    /** Host-matched reverse proxying to configured origins. */
    ROUTES,
    /** The {@code /proxy/...} direct-stream API. */
    DIRECT,
    /** {@code /health}, {@code /ip}, {@code /speedtest}: safe for anyone who can reach the listener. */
    OPS,
    /** {@code /metrics} and operator endpoints: only where listed, never by default. */
    ADMIN;

    /** What a listener serves when its configuration does not say. */
    public static final Set<ServeGroup> DEFAULT = EnumSet.of(ROUTES, DIRECT, OPS);
}
