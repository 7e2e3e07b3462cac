package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdateIntervalTest {

    @Test
    void mediaPlaylistChangesEveryTargetDuration() {
        assertEquals(Optional.of(Duration.ofSeconds(6)),
                UpdateInterval.of("#EXTM3U\r\n#EXT-X-VERSION:3\r\n#EXT-X-TARGETDURATION:6\r\n#EXTINF:6,\r\na.ts\r\n"));
    }

    @Test
    void lowLatencyPlaylistChangesEveryPartTarget() {
        assertEquals(Optional.of(Duration.ofMillis(334)), UpdateInterval.of("""
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-PART-INF:PART-TARGET=0.334
                #EXTINF:4,
                a.ts
                """));
    }

    @Test
    void multivariantPlaylistHasNoInterval() {
        assertEquals(Optional.empty(), UpdateInterval.of("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow.m3u8\n"));
    }

    @Test
    void tagMustStartALine() {
        assertEquals(Optional.empty(), UpdateInterval.of("#EXTM3U\n#EXTINF:4,#EXT-X-TARGETDURATION:4\na.ts\n"));
    }
}
