package dev.sprox.route;

import dev.sprox.drm.TrackProtection;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The decrypting mode's init segments, cleared once and kept a short while: every decrypted media segment needs its
 * init segment's protection (each track's scheme, KID and IV size), and without these each segment would fetch the
 * init segment again. Keyed by route and the origin request ({@link PlaylistKey}: URI and forwarded headers, so one
 * client's credentials never answer another's). An init is kept as long as its fetch says: {@link #TTL}, less where
 * the origin's {@code Cache-Control} says so and not at all where it forbids sharing (the caller decides, with
 * {@code PlaylistAnswer.reuse}). The cleared init and its tracks are shared read-only by every request that gets
 * them. At most {@code maxEntries} inits and {@code maxBytes} of cleared bytes are kept, the least recently used
 * dropped first; an init larger than {@code maxBytes} is not kept.
 *
 * <p>Concurrent first requests for one init each fetch it: it is a few kilobytes, once per TTL. One per generation,
 * so a reload starts empty. The lock guards only the map, never a fetch.
 */
final class InitSegments {
    static final int MAX_ENTRIES = 256;
    /** Far more than 256 ordinary init segments (a few KiB each) need; one 8 MiB {@code moov} cannot crowd all out. */
    static final long MAX_BYTES = 16L << 20;
    /** Long enough for a player's run of segments, short enough that a replaced init is soon seen. */
    static final Duration TTL = Duration.ofSeconds(30);

    /** An init segment without its protection, and the protection each protected track had. */
    record Cleared(byte[] bytes, Map<Long, TrackProtection> tracks) {}

    /** One route's request for one init segment. */
    record Key(String route, PlaylistKey request) {}

    /** An init segment as fetched and cleared, and how long it may be kept (zero: not at all). */
    record Fetched(Cleared init, Duration keep) {}

    /** Fetches and clears one init segment. */
    @FunctionalInterface
    interface Fetch {
        Fetched fetch() throws IOException;
    }

    private record Entry(Cleared init, long expires) {}

    private final ReentrantLock lock = new ReentrantLock();
    /** In access order, so the eldest entry is the least recently used. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final int maxEntries;
    private final long maxBytes;
    private final LongSupplier nanoClock;
    private long keptBytes;

    /** @param nanoClock {@link System#nanoTime}, or a test's clock */
    InitSegments(int maxEntries, long maxBytes, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
        this.nanoClock = nanoClock;
    }

    /** The kept init for {@code key}, or the one {@code fetch} gets (kept when it may be). */
    Cleared get(Key key, Fetch fetch) throws IOException {
        lock.lock();
        try {
            Entry entry = entries.get(key);
            if (entry != null) {
                if (nanoClock.getAsLong() - entry.expires() < 0) {
                    return entry.init();
                }
                remove(key);
            }
        } finally {
            lock.unlock();
        }
        Fetched fetched = fetch.fetch();
        long keepNanos = fetched.keep().toNanos();
        if (keepNanos > 0 && fetched.init().bytes().length <= maxBytes) {
            keep(key, fetched.init(), keepNanos);
        }
        return fetched.init();
    }

    private void keep(Key key, Cleared init, long keepNanos) {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            remove(key);
            entries.values().removeIf(e -> {
                boolean expired = now - e.expires() >= 0;
                keptBytes -= expired ? e.init().bytes().length : 0;
                return expired;
            });
            entries.put(key, new Entry(init, now + keepNanos));
            keptBytes += init.bytes().length;
            Iterator<Entry> eldest = entries.values().iterator();
            while (entries.size() > maxEntries || keptBytes > maxBytes) {
                keptBytes -= eldest.next().init().bytes().length;
                eldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    private void remove(Key key) {
        Entry gone = entries.remove(key);
        if (gone != null) {
            keptBytes -= gone.init().bytes().length;
        }
    }
}
