package dev.sprox.telemetry;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Collections and the time they took, read from each collector's MXBean when scraped. Micrometer's own binder
 * listens for a notification per collection instead, which the JDK builds at some cost: with a small young
 * generation a busy proxy collects 50 times a second, and building and handling those notifications took a tenth
 * of sprox's CPU on small requests. The cycles of ZGC and Shenandoah (their beans named "... Cycles") run beside
 * the application and are counted apart from pauses; G1's "G1 Concurrent GC" bean counts the pauses of its
 * concurrent cycle (remark and cleanup), so it is a pause like the others.
 */
final class PolledGcMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = collector.getName();
            boolean concurrent = name.endsWith("Cycles");
            FunctionTimer.builder(concurrent ? "jvm.gc.concurrent.phase.time" : "jvm.gc.pause", collector,
                            GarbageCollectorMXBean::getCollectionCount, GarbageCollectorMXBean::getCollectionTime,
                            TimeUnit.MILLISECONDS)
                    .tag("gc", name)
                    .description(concurrent ? "Concurrent collector cycles, which do not stop the application"
                            : "Collections that stop the application")
                    .register(registry);
        }
    }
}
