package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OriginPlaylistTest {

    private static PushbackInputStream body(byte[] bytes) {
        return new PushbackInputStream(new ByteArrayInputStream(bytes), OriginPlaylist.SNIFF_BYTES);
    }

    @Test
    void recognisesAPlaylistAndLeavesItsBytesToBeRead() throws IOException {
        byte[] playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:4\n".getBytes(StandardCharsets.UTF_8);
        PushbackInputStream body = body(playlist);

        assertTrue(OriginPlaylist.sniff(body));
        assertArrayEquals(playlist, body.readAllBytes());
    }

    @Test
    void recognisesAPlaylistAfterAByteOrderMark() throws IOException {
        assertTrue(OriginPlaylist.sniff(body("\uFEFF#EXTM3U\n".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aBodyThatOnlyStartsLikeTheSignatureIsNotAPlaylist() throws IOException {
        assertFalse(OriginPlaylist.sniff(body("#EXTM".getBytes(StandardCharsets.UTF_8))));
        assertFalse(OriginPlaylist.sniff(body("#EXTINF:4,\n".getBytes(StandardCharsets.UTF_8))));
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
        var body = new PushbackInputStream(oneByteThenWaits, OriginPlaylist.SNIFF_BYTES);

        assertFalse(OriginPlaylist.sniff(body));
        assertTrue(body.read() == 0x47);
    }
}
