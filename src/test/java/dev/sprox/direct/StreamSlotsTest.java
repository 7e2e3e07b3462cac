package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamSlotsTest {

    @Test
    void refusesBeyondTheLimitAndAdmitsAgainOnceASlotIsReleased() {
        var slots = new StreamSlots();
        StreamSlots.Slot first = slots.tryAcquire(2).orElseThrow();
        slots.tryAcquire(2).orElseThrow();
        assertTrue(slots.tryAcquire(2).isEmpty());

        first.close();
        assertTrue(slots.tryAcquire(2).isPresent());
    }

    @Test
    void releasingTwiceFreesOneSlot() {
        var slots = new StreamSlots();
        StreamSlots.Slot slot = slots.tryAcquire(5).orElseThrow();
        slots.tryAcquire(5).orElseThrow();
        slot.close();
        slot.close();
        assertEquals(1, slots.inUse());
    }

    @Test
    void aLowerLimitAppliesToStreamsAlreadyRunning() {
        var slots = new StreamSlots();
        slots.tryAcquire(5).orElseThrow();
        slots.tryAcquire(5).orElseThrow();
        assertTrue(slots.tryAcquire(2).isEmpty());
    }
}
