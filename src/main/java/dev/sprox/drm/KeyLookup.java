package dev.sprox.drm;

import dev.sprox.config.DrmConfig;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import java.time.InstantSource;
import java.util.List;

/**
 * Where one configuration snapshot finds keys: its {@link ContentKeyStore}, filled from {@code drm.keys}.
 * Each lookup is timed by source and result and is a span of its own, naming the KID (not secret) and never
 * the key. Closed with the snapshot, which wipes every key it held.
 */
public final class KeyLookup implements AutoCloseable {
    private final ContentKeyStore store;
    private final Metrics metrics;

    private KeyLookup(ContentKeyStore store, Metrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Takes ownership of the configuration's static keys. */
    public static KeyLookup build(DrmConfig config, Metrics metrics) {
        var store = new ContentKeyStore(InstantSource.system(), ContentKeyStore.DEFAULT_CAPACITY);
        config.keys().forEach(k -> store.putStatic(k.kid(), k.key()));
        return new KeyLookup(store, metrics);
    }

    /** The outcome of looking up one KID. */
    public sealed interface Lookup {
        /** A copy of the key, for the caller to close once written out. */
        record Found(ContentKey key, String source) implements Lookup {}

        record NotFound(String source) implements Lookup {}

        /** The key server could not say; the licence request fails with 502 rather than guess. */
        record Unavailable(String reason) implements Lookup {}
    }

    public Lookup find(Kid kid, Tracing tracing) {
        Span span = tracing.tracer().spanBuilder("drm key lookup").setAttribute("sprox.drm.kid", kid.hex())
                .startSpan();
        long start = System.nanoTime();
        Lookup lookup = store.copy(kid).<Lookup>map(found -> new Lookup.Found(found.key(),
                        found.source() == KeySource.STATIC ? Metrics.DRM_STATIC : Metrics.DRM_CACHE))
                .orElse(new Lookup.NotFound(Metrics.DRM_STATIC));
        String source = switch (lookup) {
            case Lookup.Found f -> f.source();
            case Lookup.NotFound n -> n.source();
            case Lookup.Unavailable u -> Metrics.DRM_KEY_SERVER;
        };
        String result = switch (lookup) {
            case Lookup.Found f -> "found";
            case Lookup.NotFound n -> "not_found";
            case Lookup.Unavailable u -> "error";
        };
        metrics.drmKeyLookup(source, result, System.nanoTime() - start);
        span.setAttribute("sprox.drm.key.source", source).setAttribute("sprox.drm.key.result", result).end();
        return lookup;
    }

    /** What {@code /keys} shows. */
    public List<ContentKeyStore.Listing> list() {
        return store.list();
    }

    @Override
    public void close() {
        store.close();
    }
}
