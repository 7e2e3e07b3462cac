package dev.sprox.telemetry;

/**
 * What a handler learnt while serving a request that the access log should show. Written and read on the
 * request's own thread only.
 */
public final class ExchangeNotes {
    private String route;
    private long upstreamNanos = -1;
    private int retries;

    public void route(String routeId) {
        this.route = routeId;
    }

    public void upstream(long headersNanos, int retryCount) {
        this.upstreamNanos = headersNanos;
        this.retries = retryCount;
    }

    public String route() {
        return route;
    }

    /** Time to the origin's response head, or -1 when no origin was asked. */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    public int retries() {
        return retries;
    }
}
