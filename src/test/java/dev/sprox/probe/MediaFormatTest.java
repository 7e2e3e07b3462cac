package dev.sprox.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaFormatTest {

    private static byte[] transportStream(int packets) {
        byte[] bytes = new byte[packets * 188];
        for (int i = 0; i < packets; i++) {
            bytes[i * 188] = 0x47;
            bytes[i * 188 + 1] = 0x11;
        }
        return bytes;
    }

    private static byte[] box(String type) {
        byte[] bytes = new byte[24];
        bytes[3] = 24;
        System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 4, 4);
        return bytes;
    }

    @Test
    void aSyncByteEvery188BytesIsMpegTs() {
        assertEquals(Optional.of(MediaFormat.MPEG_TS), MediaFormat.sniff(transportStream(100)));
    }

    @Test
    void oneMissingSyncByteIsNotMpegTs() {
        byte[] bytes = transportStream(10);
        bytes[5 * 188] = 0x00;
        assertEquals(Optional.empty(), MediaFormat.sniff(bytes));
    }

    @Test
    void lessThanOnePacketIsNotMpegTs() {
        assertEquals(Optional.empty(), MediaFormat.sniff(Arrays.copyOf(transportStream(1), 187)));
    }

    @Test
    void isoBoxTypesAtOffsetFourAreFmp4() {
        for (String type : new String[] {"styp", "ftyp", "moof", "moov"}) {
            assertEquals(Optional.of(MediaFormat.FMP4), MediaFormat.sniff(box(type)), type);
        }
    }

    @Test
    void anHtmlErrorPageIsNothingPlayable() {
        assertEquals(Optional.empty(), MediaFormat.sniff("<html><body>404 Not Found</body></html>"
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void packedAudioAndSubtitlesAreRecognised() {
        assertEquals(Optional.of(MediaFormat.PACKED_AUDIO), MediaFormat.sniff("ID3\u0004\u0000".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Optional.of(MediaFormat.WEBVTT), MediaFormat.sniff("WEBVTT\n\n".getBytes(StandardCharsets.UTF_8)));
    }
}
