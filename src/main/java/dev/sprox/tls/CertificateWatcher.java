package dev.sprox.tls;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices renewed certificates of listeners with {@code watch_for_changes}. A change in any watched directory
 * makes every watched listener compare its files' contents with what it serves, after a short pause so a
 * renewal that writes several files is read once it is complete. Events can be missed (network file systems,
 * an overflowing queue, a directory that appears later), so each listener also compares its files every
 * {@code recheck_interval_ms}.
 */
public final class CertificateWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateWatcher.class);
    /** Long enough for certbot's or kubelet's few renames to settle; short enough to feel immediate. */
    private static final Duration SETTLE = Duration.ofMillis(300);
    /**
     * The longest the thread sleeps before it looks at {@link #watched} again. It is never interrupted to
     * notice a new set sooner: an interrupt would close the file channel of a certificate being read.
     */
    private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

    private final WatchService events;
    /** Registration happens on the watcher's thread and on the reload path, so it takes turns. */
    private final ReentrantLock registering = new ReentrantLock();
    private final Map<Path, WatchKey> registered = new HashMap<>();
    private final Map<ServerTls, Long> nextCheck = new HashMap<>();
    private volatile List<ServerTls> watched = List.of();

    public CertificateWatcher() throws IOException {
        this.events = FileSystems.getDefault().newWatchService();
        Thread.ofPlatform().name("sprox-certificate-watch").daemon(true).start(this::run);
    }

    /**
     * Watches exactly these listeners from now on (those without {@code watch_for_changes} are ignored). Their
     * directories are registered before this returns, and their files compared once more, so a change made
     * at any moment after their certificates were read is noticed.
     */
    public void watch(List<ServerTls> listeners) {
        List<ServerTls> watching = listeners.stream().filter(ServerTls::watchesFiles).toList();
        register(watching);
        watched = watching;
        watching.forEach(ServerTls::refreshIfChanged);
    }

    private void run() {
        while (true) {
            register(watched);
            try {
                WatchKey key = events.poll(untilNextCheck(watched), TimeUnit.NANOSECONDS);
                // Read again: watch() may have given a new set while this thread waited.
                List<ServerTls> current = watched;
                if (key != null) {
                    settle(key);
                    current.forEach(this::check);
                } else {
                    long now = System.nanoTime();
                    current.stream().filter(tls -> now - nextCheck.getOrDefault(tls, now) >= 0).forEach(this::check);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("checking certificates for changes failed", e);
            }
        }
    }

    /**
     * Waits for the rest of a renewal's changes and consumes their events. Every key taken is reset, or its
     * directory would never be reported again.
     */
    private void settle(WatchKey first) throws InterruptedException {
        first.pollEvents();
        first.reset();
        Thread.sleep(SETTLE);
        for (WatchKey pending = events.poll(); pending != null; pending = events.poll()) {
            pending.pollEvents();
            pending.reset();
        }
    }

    private void check(ServerTls tls) {
        nextCheck.put(tls, System.nanoTime() + tls.recheckInterval().toNanos());
        tls.refreshIfChanged();
    }

    private long untilNextCheck(List<ServerTls> current) {
        nextCheck.keySet().retainAll(current);
        long now = System.nanoTime();
        long wait = LOOK_AGAIN.toNanos();
        for (ServerTls tls : current) {
            long due = nextCheck.computeIfAbsent(tls, t -> now + t.recheckInterval().toNanos());
            wait = Math.min(wait, Math.max(0, due - now));
        }
        return wait;
    }

    /** Registers directories not yet watched, including symlink targets that appeared since. */
    private void register(List<ServerTls> current) {
        registering.lock();
        try {
            registerLocked(current);
        } finally {
            registering.unlock();
        }
    }

    private void registerLocked(List<ServerTls> current) {
        registered.values().removeIf(key -> !key.isValid());
        for (ServerTls tls : current) {
            for (Path directory : tls.watchedDirectories()) {
                if (!registered.containsKey(directory) && Files.isDirectory(directory)) {
                    try {
                        registered.put(directory, directory.register(events, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                    } catch (IOException e) {
                        LOG.atWarn().addKeyValue("directory", directory.toString())
                                .log("cannot watch for certificate changes; relying on the periodic check: {}",
                                        e.getMessage());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            events.close();
        } catch (IOException e) {
            LOG.debug("closing the certificate watcher: {}", e.getMessage());
        }
    }
}
