package dev.sprox.drm;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The keys one configuration snapshot may hand out, each in an array the store owns. Static keys stay until
 * the store closes; keys from the key server expire after their time to live, and past {@code capacity} the
 * oldest one goes first. A key leaves the store only as a {@link ContentKey#copy copy} that its taker wipes;
 * whatever leaves the store (expired, replaced, evicted, or everything when the snapshot is retired) is
 * wiped on the way out.
 */
public final class ContentKeyStore implements AutoCloseable {
    /** Key-server answers kept at once: a few thousand titles' keys in a few hundred KiB. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final InstantSource clock;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Kid, ContentKey> fixed = new HashMap<>();
    /** In insertion order, so the first entry is the one to evict. */
    private final LinkedHashMap<Kid, Expiring> expiring = new LinkedHashMap<>();
    private boolean closed;

    private record Expiring(ContentKey key, Instant expires) {}

    /** What {@code /keys} shows of a key: never the key. */
    public record Listing(Kid kid, KeySource source, Optional<Instant> expires) {}

    public ContentKeyStore(InstantSource clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    /** Takes ownership of {@code key}, which stays until the store closes. */
    public void putStatic(Kid kid, ContentKey key) {
        lock.lock();
        try {
            ContentKey previous = fixed.put(kid, key);
            if (previous != null) {
                previous.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes ownership of {@code key}, which expires after {@code ttl}; replaces (and wipes) an earlier one. */
    public void put(Kid kid, ContentKey key, Duration ttl) {
        lock.lock();
        try {
            if (closed) {
                key.close();
                return;
            }
            purgeExpired();
            Expiring previous = expiring.remove(kid);
            if (previous != null) {
                previous.key().close();
            }
            expiring.put(kid, new Expiring(key, clock.instant().plus(ttl)));
            if (expiring.size() > capacity) {
                Iterator<Expiring> oldest = expiring.values().iterator();
                oldest.next().key().close();
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the key for {@code kid}, for the caller to close once written out; empty if none or expired. */
    public Optional<Found> copy(Kid kid) {
        lock.lock();
        try {
            purgeExpired();
            ContentKey key = fixed.get(kid);
            if (key != null) {
                return Optional.of(new Found(key.copy(), KeySource.STATIC));
            }
            Expiring entry = expiring.get(kid);
            return entry == null ? Optional.empty() : Optional.of(new Found(entry.key().copy(), KeySource.KEY_SERVER));
        } finally {
            lock.unlock();
        }
    }

    /** A copy taken from the store, and where its original came from. */
    public record Found(ContentKey key, KeySource source) {}

    /** Every key held now, static ones first, each group by KID. */
    public List<Listing> list() {
        lock.lock();
        try {
            purgeExpired();
            var listings = new ArrayList<Listing>();
            fixed.keySet().stream().sorted(Comparator.comparing(Kid::hex))
                    .forEach(kid -> listings.add(new Listing(kid, KeySource.STATIC, Optional.empty())));
            expiring.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Kid::hex)))
                    .forEach(e -> listings.add(new Listing(e.getKey(), KeySource.KEY_SERVER,
                            Optional.of(e.getValue().expires()))));
            return listings;
        } finally {
            lock.unlock();
        }
    }

    /** Wipes and drops every key whose time is up; called on every use and by the key sweeper. */
    public void purgeExpired() {
        lock.lock();
        try {
            Instant now = clock.instant();
            Iterator<Expiring> entries = expiring.values().iterator();
            while (entries.hasNext()) {
                Expiring entry = entries.next();
                if (!now.isBefore(entry.expires())) {
                    entry.key().close();
                    entries.remove();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wipes every key; later puts are wiped at once. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            fixed.values().forEach(ContentKey::close);
            fixed.clear();
            expiring.values().forEach(e -> e.key().close());
            expiring.clear();
        } finally {
            lock.unlock();
        }
    }
}
