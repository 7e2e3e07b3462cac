package dev.sprox.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import jdk.management.VirtualThreadSchedulerMXBean;

/**
 * The virtual-thread scheduler, which carries every connection and request: JvmThreadMetrics counts only
 * platform threads. A queue that stays above zero while mounted equals parallelism means the carriers are
 * saturated (CPU-bound work, or a thread pinned in native code).
 */
final class VirtualThreadSchedulerMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        VirtualThreadSchedulerMXBean scheduler = ManagementFactory.getPlatformMXBean(VirtualThreadSchedulerMXBean.class);
        Gauge.builder("jvm.threads.virtual.scheduler.parallelism", scheduler,
                        VirtualThreadSchedulerMXBean::getParallelism)
                .description("Carrier threads the scheduler aims to keep busy").baseUnit("threads").register(registry);
        Gauge.builder("jvm.threads.virtual.scheduler.pool.size", scheduler, VirtualThreadSchedulerMXBean::getPoolSize)
                .description("Carrier threads started, busy or idle").baseUnit("threads").register(registry);
        Gauge.builder("jvm.threads.virtual.mounted", scheduler,
                        VirtualThreadSchedulerMXBean::getMountedVirtualThreadCount)
                .description("Virtual threads running on a carrier now").baseUnit("threads").register(registry);
        Gauge.builder("jvm.threads.virtual.queued", scheduler,
                        VirtualThreadSchedulerMXBean::getQueuedVirtualThreadCount)
                .description("Virtual threads ready to run and waiting for a carrier").baseUnit("threads")
                .register(registry);
    }
}
