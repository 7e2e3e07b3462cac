package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
