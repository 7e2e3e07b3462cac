package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OriginPlaylistTest {

    private static InputStream body(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void recognisesAPlaylistAndGivesBackItsWholeBody() throws IOException {
        byte[] playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n".getBytes(StandardCharsets.UTF_8);
        InputStream body = body(playlist);

        OriginPlaylist.Sniffed sniffed = OriginPlaylist.sniff(body);

        assertTrue(sniffed.playlist());
        assertArrayEquals(playlist, sniffed.whole(body).readAllBytes());
    }

    @Test
    void recognisesAPlaylistAfterAByteOrderMark() throws IOException {
        assertTrue(OriginPlaylist.sniff(body("\uFEFF#EXTM3U\n".getBytes(StandardCharsets.UTF_8))).playlist());
    }

    @Test
    void aBodyThatOnlyStartsLikeTheSignatureIsNotAPlaylist() throws IOException {
        assertFalse(OriginPlaylist.sniff(body("#EXTM".getBytes(StandardCharsets.UTF_8))).playlist());
        assertFalse(OriginPlaylist.sniff(body("#EXTINF:4,\n".getBytes(StandardCharsets.UTF_8))).playlist());
    }

    @Test
    void oneByteDecidesForMediaSoALiveStreamIsNotHeldUp() throws IOException {
        // A transport stream's sync byte, then an origin that has sent nothing more yet.
        InputStream oneByteThenWaits = new InputStream() {
            private boolean sent;

            @Override
            public int read() {
                throw new AssertionError("read one byte at a time");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (sent) {
                    throw new AssertionError("sniffing waited for more than it needed");
                }
                sent = true;
                buffer[offset] = 0x47;
                return 1;
            }
        };
        OriginPlaylist.Sniffed sniffed = OriginPlaylist.sniff(oneByteThenWaits);

        assertFalse(sniffed.playlist());
        assertArrayEquals(new byte[] {0x47}, sniffed.head());
    }
}
