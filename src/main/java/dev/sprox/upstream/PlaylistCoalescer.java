package dev.sprox.upstream;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One route's playlist requests (or the direct manifest endpoint's, per snapshot), coalesced: the first request
 * for a key (the route's {@code PlaylistKey}) fetches on its own
 * thread while concurrent requests for the key wait for that answer (at most the route's read timeout, then
 * 504); a reusable answer then also serves later requests for its {@link PlaylistAnswer#reuse() window}.
 * A failed fetch reaches only its waiters; the next request fetches again. An answer that is not
 * {@linkplain PlaylistAnswer#shared() shared} (a cookie, {@code private}, ...) reaches only the request that
 * fetched it: its waiters then fetch for themselves, each alone.
 *
 * <p>The lock guards only map updates, never the fetch or a wait. Memory is bounded per route: at most
 * {@link #MAX_ENTRIES} keys and {@link #MAX_BYTES} of kept bodies, the oldest dropped first. The coalescer
 * belongs to its route and so to one snapshot: a reload starts empty.
 */
public final class PlaylistCoalescer<K> {
    static final int MAX_ENTRIES = 1000;
    /** Sixteen playlists of the largest size {@code max_playlist_bytes} allows, or a thousand ordinary ones. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /** Fetches and reads one playlist; failures are {@link RequestRejected}s. */
    @FunctionalInterface
    public interface Fetch {
        PlaylistAnswer fetch();
    }

    /** A fetch in flight, or a kept answer; the fields are written under the lock. */
    private static final class Entry {
        final CompletableFuture<PlaylistAnswer> answer = new CompletableFuture<>();
        boolean kept;
        long reusableUntil;
        int bytes;

        boolean usable(long now) {
            return !kept || now - reusableUntil < 0;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** In insertion order, so the eldest entry is the first to go. */
    private final LinkedHashMap<K, Entry> entries = new LinkedHashMap<>();
    private long keptBytes;
    private final Duration wait;
    private final Runnable onFetch;
    private final Runnable onCoalesced;

    /**
     * @param wait        how long a request waits for another's fetch
     * @param onFetch     told of each fetch from the origin
     * @param onCoalesced told of each request answered by another's fetch
     */
    public PlaylistCoalescer(Duration wait, Runnable onFetch, Runnable onCoalesced) {
        this.wait = wait;
        this.onFetch = onFetch;
        this.onCoalesced = onCoalesced;
    }

    public PlaylistAnswer answer(K key, Fetch fetch) {
        Entry entry;
        boolean leader;
        lock.lock();
        try {
            long now = System.nanoTime();
            Entry existing = entries.get(key);
            leader = existing == null || !existing.usable(now);
            if (leader) {
                entry = new Entry();
                dropExpired(now);
                remove(key);
                entries.put(key, entry);
                trim();
            } else {
                entry = existing;
            }
        } finally {
            lock.unlock();
        }
        if (leader) {
            onFetch.run();
            return lead(key, entry, fetch);
        }
        onCoalesced.run();
        PlaylistAnswer answer = await(entry);
        if (answer.shared()) {
            return answer;
        }
        onFetch.run();
        return fetch.fetch();
    }

    private PlaylistAnswer lead(K key, Entry entry, Fetch fetch) {
        PlaylistAnswer answer;
        try {
            answer = fetch.fetch();
        } catch (RuntimeException | Error e) {
            settle(key, entry, null);
            entry.answer.completeExceptionally(e);
            throw e;
        }
        settle(key, entry, answer);
        entry.answer.complete(answer);
        return answer;
    }

    /** Keeps a reusable answer under its key, or forgets the entry so the next request fetches. */
    private void settle(K key, Entry entry, PlaylistAnswer answer) {
        lock.lock();
        try {
            if (entries.get(key) != entry) {
                return; // evicted while in flight: its waiters still get the answer, later requests fetch anew
            }
            if (answer == null || !answer.reuse().isPositive()) {
                remove(key);
                return;
            }
            entry.kept = true;
            entry.reusableUntil = System.nanoTime() + answer.reuse().toNanos();
            entry.bytes = answer.body().length;
            keptBytes += entry.bytes;
            trim();
        } finally {
            lock.unlock();
        }
    }

    private PlaylistAnswer await(Entry entry) {
        try {
            return entry.answer.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RequestRejected(RequestError.UPSTREAM_TIMEOUT, "upstream timed out");
        } catch (ExecutionException e) {
            // A fresh exception per waiter: one instance thrown on many threads would share its state.
            if (e.getCause() instanceof RequestRejected refused) {
                throw new RequestRejected(refused.error(), refused.detail());
            }
            throw new IllegalStateException("the shared playlist fetch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        }
    }

    /** Expired answers leave from the eldest end; the first live one stops the sweep, the bounds do the rest. */
    private void dropExpired(long now) {
        Iterator<Entry> eldest = entries.values().iterator();
        while (eldest.hasNext()) {
            Entry entry = eldest.next();
            if (entry.usable(now)) {
                return;
            }
            keptBytes -= entry.bytes;
            eldest.remove();
        }
    }

    private void trim() {
        Iterator<Map.Entry<K, Entry>> eldest = entries.entrySet().iterator();
        while ((entries.size() > MAX_ENTRIES || keptBytes > MAX_BYTES) && eldest.hasNext()) {
            keptBytes -= eldest.next().getValue().bytes;
            eldest.remove();
        }
    }

    private void remove(K key) {
        Entry removed = entries.remove(key);
        if (removed != null) {
            keptBytes -= removed.bytes;
        }
    }

    /** Keys held now, fetches in flight included. */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
