package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KidTest {
    private static final String HEX = "6a5f0c2b8e7d4a3f9c1b2e4d6f8a0b1c";

    @Test
    void readsHexUuidAndBase64UrlAsTheSameKid() {
        Kid kid = Kid.parse(HEX).orElseThrow();
        assertEquals(Optional.of(kid), Kid.parse("6A5F0C2B8E7D4A3F9C1B2E4D6F8A0B1C"));
        assertEquals(Optional.of(kid), Kid.parse("6a5f0c2b-8e7d-4a3f-9c1b-2e4d6f8a0b1c"));
        assertEquals(Optional.of(kid), Kid.parse("al8MK459Sj-cGy5Nb4oLHA"));
        assertEquals(Optional.of(kid), Kid.parse("al8MK459Sj-cGy5Nb4oLHA=="));
    }

    @Test
    void writesEachForm() {
        Kid kid = Kid.parse(HEX).orElseThrow();
        assertEquals(HEX, kid.hex());
        assertEquals("6a5f0c2b-8e7d-4a3f-9c1b-2e4d6f8a0b1c", kid.uuid());
        assertEquals("al8MK459Sj-cGy5Nb4oLHA", kid.base64Url());
        assertEquals(HEX, kid.toString());
    }

    @Test
    void refusesWhatIsNotSixteenBytes() {
        assertEquals(Optional.empty(), Kid.parse(HEX.substring(2)));
        assertEquals(Optional.empty(), Kid.parse("6a5f0c2b8e7d4a3f9c1b2e4d6f8a0b1g"));
        assertEquals(Optional.empty(), Kid.parse("6a5f0c2b+8e7d-4a3f-9c1b-2e4d6f8a0b1c"));
        assertEquals(Optional.empty(), Kid.parse("al8MK459Sj+cGy5Nb4oLHA"));
        assertEquals(Optional.empty(), Kid.parse(""));
    }
}
