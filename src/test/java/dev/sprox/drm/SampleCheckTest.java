package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.mp4.CodecConfig;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules a decrypted sample must obey, on hand-made samples and on random bytes (what a wrong key decrypts to).
 * Real content decrypted with its key passes them in {@link FragmentDecryptorTest}.
 */
class SampleCheckTest {
    private static final int SAMPLES = 200_000;
    private static final int AT_48_KHZ = 3;

    /** Random bytes as AAC: the share of samples that pass, for one and for two channels. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void randomBytesPassAsAacAboutOnceInAHundredSamples(int channels) {
        var check = AacFrames.of(new CodecConfig.AudioSpecificConfig(2, AT_48_KHZ, channels)).orElseThrow();
        var random = new Random(17);
        byte[] sample = new byte[300];
        int passed = 0;
        for (int i = 0; i < SAMPLES; i++) {
            random.nextBytes(sample);
            passed += check.plausible(sample, sample.length, encrypted(0, sample.length), true) ? 1 : 0;
        }
        double share = (double) passed / SAMPLES;
        System.out.printf("random bytes passed as AAC with %d channels: %.4f (1 in %.1f)%n", channels, share, 1 / share);
        assertTrue(share < 1.0 / 50, "passed: " + share);
    }

    @Test
    void aacFrameStartingWithAFillElementIsJudgedByTheChannelPairAfterIt() {
        var stereo = AacFrames.of(new CodecConfig.AudioSpecificConfig(2, AT_48_KHZ, 2)).orElseThrow();
        // FIL of 1 byte; CPE tag 0, common window, a long window of max_sfb 40 (ics_info), no M/S, global_gain, and
        // one section of codebook 1 over the 40 bands (31, the escape, then 9)
        byte[] frame = bits("110" + "0001" + "10100101" + "001" + "0000" + "1" + "0" + "00" + "0" + "101000" + "0"
                + "00" + "10000000" + "0001" + "11111" + "01001");
        assertTrue(stereo.plausible(frame, frame.length, encrypted(0, frame.length), true));
        byte[] mono = bits("110" + "0001" + "10100101" + "000" + "0000" + "00000000" + "0" + "00" + "0" + "101000"
                + "0" + "0000000");
        assertFalse(stereo.plausible(mono, mono.length, encrypted(0, mono.length), true), "SCE where a CPE belongs");
    }

    @Test
    void aacFrameWhoseFirstBytesAreClearIsNotJudged() {
        var stereo = AacFrames.of(new CodecConfig.AudioSpecificConfig(2, AT_48_KHZ, 2)).orElseThrow();
        byte[] end = bits("111" + "00000");
        assertFalse(stereo.plausible(end, end.length, encrypted(0, end.length), true));
        assertTrue(stereo.plausible(end, end.length, new EncryptedRanges(), true));
    }

    @Test
    void nalUnitEndingInAnEncryptedZeroIsImplausible() {
        var h264 = new NalUnits(4, "H.264");
        byte[] sample = HexFormat.of().parseHex("00000006" + "4101" + "aabbcc" + "00");
        assertFalse(h264.plausible(sample, sample.length, encrypted(6, 10), false));
        assertTrue(h264.plausible(sample, sample.length, encrypted(6, 9), false), "its last byte was clear");
    }

    @Test
    void startCodeInsideEncryptedBytesIsImplausible() {
        var h264 = new NalUnits(4, "H.264");
        byte[] sample = HexFormat.of().parseHex("00000009" + "4101" + "aa000001bb" + "cc80");
        assertFalse(h264.plausible(sample, sample.length, encrypted(6, 13), true));
        assertTrue(h264.plausible(sample, sample.length, encrypted(6, 13), false), "only thorough checks scan");
        assertTrue(h264.plausible(sample, sample.length, encrypted(11, 13), true), "the sequence was clear");
        byte[] escaped = HexFormat.of().parseHex("00000009" + "4101" + "aa000003" + "01cc80");
        assertTrue(h264.plausible(escaped, escaped.length, encrypted(6, 13), true), "an escaped 0x000001");
        byte[] badEscape = HexFormat.of().parseHex("00000009" + "4101" + "aa000003" + "04cc80");
        assertFalse(h264.plausible(badEscape, badEscape.length, encrypted(6, 13), true), "0x000003 before 0x04");
    }

    private static EncryptedRanges encrypted(int start, int end) {
        var ranges = new EncryptedRanges();
        ranges.add(start, end);
        return ranges;
    }

    /** Bits written as text, padded with zeros to whole bytes. */
    private static byte[] bits(String text) {
        byte[] bytes = new byte[(text.length() + 7) / 8];
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '1') {
                bytes[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        return bytes;
    }
}
