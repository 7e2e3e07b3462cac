package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryPressureTest {
    private static final long MAX = 100;

    @Test
    void aFullCollectionThatLeavesMostOfTheHeapInUseMakesItShort() {
        var pressure = new MemoryPressure();

        pressure.collected(true, 70, MAX);

        assertTrue(pressure.high());
    }

    @Test
    void aYoungCollectionCannotTellWhatIsLiveSoItMakesNothingShort() {
        var pressure = new MemoryPressure();

        pressure.collected(false, 90, MAX);

        assertFalse(pressure.high());
    }

    @Test
    void anyCollectionThatLeavesLittleInUseEndsTheShortage() {
        var pressure = new MemoryPressure();
        pressure.collected(true, 70, MAX);

        pressure.collected(false, 30, MAX);

        assertFalse(pressure.high());
    }

    @Test
    void betweenTheThresholdsTheHeapStaysAsItWas() {
        var pressure = new MemoryPressure();
        pressure.collected(true, 70, MAX);

        pressure.collected(true, 45, MAX);

        assertTrue(pressure.high());
    }

    @Test
    void whileShortAFullCollectionIsAskedForOncePerIntervalAndItsFindingEndsTheShortage() {
        var collections = new AtomicInteger();
        var pressure = new MemoryPressure(collections::incrementAndGet);
        long now = System.nanoTime();
        pressure.collected(true, 70, MAX);

        pressure.recheck(now);
        pressure.recheck(now + MemoryPressure.RECHECK_NANOS / 2);
        assertEquals(1, collections.get(), "at most one full collection per interval");
        pressure.recheck(now + MemoryPressure.RECHECK_NANOS);
        assertEquals(2, collections.get());

        // The collection asked for finds the memory of the streams cut meanwhile free.
        pressure.collected(true, 20, MAX);
        assertFalse(pressure.high());
    }

    @Test
    void whileTheHeapHasRoomNoCollectionIsAskedFor() {
        var collections = new AtomicInteger();
        var pressure = new MemoryPressure(collections::incrementAndGet);

        pressure.recheck(System.nanoTime() + MemoryPressure.RECHECK_NANOS);

        assertEquals(0, collections.get());
    }
}
