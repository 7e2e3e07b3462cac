package dev.sprox.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A collection shows in the next scrape, read from the JVM then, not counted as it happened. */
class PolledGcMetricsTest {

    @Test
    void aCollectionIsCountedAsAPauseWithItsTime() {
        var registry = new SimpleMeterRegistry();
        new PolledGcMetrics().bindTo(registry);
        double before = pauses(registry);
        System.gc();
        assertTrue(pauses(registry) >= before + 1, () -> "pauses: " + before + " then " + pauses(registry));
        assertTrue(registry.find("jvm.gc.pause").functionTimers().stream()
                .anyMatch(t -> t.totalTime(TimeUnit.NANOSECONDS) > 0));
    }

    private static double pauses(SimpleMeterRegistry registry) {
        return registry.find("jvm.gc.pause").functionTimers().stream().mapToDouble(FunctionTimer::count).sum();
    }
}
