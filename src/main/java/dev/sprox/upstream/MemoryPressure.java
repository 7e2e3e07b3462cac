package dev.sprox.upstream;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Whether the heap is running short, as the collector last found it: the backstop behind {@link StreamMemory}'s
 * count, for what the JDK client reads ahead beyond it. Short once a full collection leaves more than
 * {@link #HIGH} of the heap in use (only a full one measures what is live); no longer short once any collection
 * leaves less than {@link #LOW}. While short, a full collection is asked for now and then ({@link #recheck}).
 */
final class MemoryPressure {
    /**
     * Stream memory is half the heap (StreamMemory) and counts more than streams hold on average, so a heap found
     * more than half live holds what the JDK read ahead beyond that count, or many connections besides.
     */
    static final double HIGH = 0.5;
    static final double LOW = 0.4;
    /** While short, how often a full collection is asked for to learn whether the heap still is. */
    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final MemoryPressure SHARED = watching();

    private final Runnable fullCollection;
    private volatile boolean high;
    private long lastRecheck;

    MemoryPressure() {
        this(System::gc);
    }

    MemoryPressure(Runnable fullCollection) {
        this.fullCollection = fullCollection;
        this.lastRecheck = System.nanoTime() - RECHECK_NANOS;
    }

    boolean high() {
        return high;
    }

    /** What a collection left: {@code used} bytes of a heap of at most {@code max}. */
    void collected(boolean full, long used, long max) {
        if (used < LOW * max) {
            high = false;
        } else if (full && used > HIGH * max) {
            high = true;
        }
    }

    /**
     * Called by one thread, the stall guard's sweeper: while the heap is short, asks for a full collection at most
     * once per {@link #RECHECK_NANOS}. The streams cut while it is short leave their memory in the old generation,
     * which Serial collects only once it fills, and requests refused for want of memory do not fill it: without
     * this, the heap would be found short, and every request to an origin refused, long after the memory was free.
     */
    void recheck(long now) {
        if (high && now - lastRecheck >= RECHECK_NANOS) {
            lastRecheck = now;
            fullCollection.run();
        }
    }

    /** One that every collector of this JVM tells about each collection it finished. */
    private static MemoryPressure watching() {
        var pressure = new MemoryPressure();
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
        long max = Runtime.getRuntime().maxMemory();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                            .equals(notification.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        // Serial, Parallel and G1 call a full collection "major GC"; generational ZGC names its collector so.
                        pressure.collected(info.getGcAction().contains("major") || info.getGcName().contains("Major"),
                                used(info.getGcInfo().getMemoryUsageAfterGc(), heapPools), max);
                    }
                }, null, null);
            }
        }
        return pressure;
    }

    private static long used(Map<String, MemoryUsage> after, Set<String> heapPools) {
        return after.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }
}
