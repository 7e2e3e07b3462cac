package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentIndexBoxTest {

    @Test
    void listsSubsegmentsAfterTheBox() throws MpdException {
        byte[] box = DashCorpusTest.Sidx.bytes("1000:2000/100,1500/50");
        assertEquals(List.of(new SegmentIndexBox.Subsegment(1056, 100, 2000, 1000),
                        new SegmentIndexBox.Subsegment(1156, 50, 1500, 1000)),
                SegmentIndexBox.parse(box, 1000));
    }

    @Test
    void refusesTruncatedBox() {
        byte[] box = Arrays.copyOf(DashCorpusTest.Sidx.bytes("1000:2000/100,1500/50"), 40);
        MpdException e = assertThrows(MpdException.class, () -> SegmentIndexBox.parse(box, 0));
        assertEquals("sidx box of 56 bytes does not fit the 40 bytes of the index range", e.reason());
    }

    @Test
    void refusesHierarchicalIndex() {
        byte[] box = DashCorpusTest.Sidx.bytes("1000:2000/100");
        box[32] |= (byte) 0x80;
        MpdException e = assertThrows(MpdException.class, () -> SegmentIndexBox.parse(box, 0));
        assertEquals("hierarchical sidx (a reference to another index) is not supported", e.reason());
    }

    @Test
    void refusesOtherBox() {
        byte[] box = DashCorpusTest.Sidx.bytes("1000:2000/100");
        box[4] = 'm';
        assertThrows(MpdException.class, () -> SegmentIndexBox.parse(box, 0));
    }
}
