package dev.sprox.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The one byte range a 206 carries, as origins write it. */
class ContentRangeTest {

    @Test
    void readsARangeWithItsTotalOrWithout() {
        assertEquals(Optional.of(new ContentRange(100, 199, OptionalLong.of(1000))),
                ContentRange.parse(" bytes 100-199/1000 "));
        assertEquals(Optional.of(new ContentRange(0, 9, OptionalLong.empty())), ContentRange.parse("Bytes  0-9/*"));
        assertEquals("bytes 0-9/*", ContentRange.parse("bytes 0-9/*").orElseThrow().toString());
    }

    @Test
    void refusesWhatIsNotOneByteRange() {
        for (String value : List.of("", "bytes */1000", "bytes 10-5/100", "items 0-9/10", "bytes 0-9", "bytes -9/10",
                "bytes 0-99999999999999999999/1")) {
            assertEquals(Optional.empty(), ContentRange.parse(value), value);
        }
    }

    @Test
    void isWholeOnlyFromTheFirstByteToTheLastOfAKnownTotal() {
        assertTrue(ContentRange.parse("bytes 0-999/1000").orElseThrow().isWhole());
        assertFalse(ContentRange.parse("bytes 0-998/1000").orElseThrow().isWhole());
        assertFalse(ContentRange.parse("bytes 1-999/1000").orElseThrow().isWhole());
        assertFalse(ContentRange.parse("bytes 0-999/*").orElseThrow().isWhole());
        assertEquals(1000, ContentRange.parse("bytes 0-999/*").orElseThrow().length());
    }
}
