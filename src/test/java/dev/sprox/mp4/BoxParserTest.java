package dev.sprox.mp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boxes parsed and written back: byte for byte for real files, typed errors for hostile ones. */
class BoxParserTest {
    @TempDir
    static Path media;
    private static Path clip;

    @BeforeAll
    static void makeClip() throws IOException {
        clip = EncryptedMedia.clip(media);
    }

    @Test
    void progressiveMp4RoundTripsByteForByte() throws IOException {
        byte[] original = Files.readAllBytes(clip);
        assertArrayEquals(original, BoxWriter.toBytes(BoxParser.parse(original)));
    }

    @Test
    void fragmentedMp4RoundTripsByteForByte() throws IOException {
        Path fragmented = media.resolve("fragmented.mp4");
        EncryptedMedia.ffmpeg("-hide_banner", "-loglevel", "error", "-y", "-i", clip.toString(), "-c", "copy",
                "-movflags", "frag_keyframe+empty_moov+default_base_moof", fragmented.toString());
        byte[] original = Files.readAllBytes(fragmented);
        List<Box> boxes = BoxParser.parse(original);
        assertEquals(List.of("ftyp", "moov", "moof", "mdat", "mfra"), boxes.stream().map(Box::type).distinct().toList());
        assertArrayEquals(original, BoxWriter.toBytes(boxes));
    }

    @Test
    void encryptedSegmentsRoundTripByteForByte() throws IOException {
        Path packaged = EncryptedMedia.shaka(media, clip, "cbcs", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        for (String name : List.of("v-init.mp4", "v-1.m4s", "a-init.mp4", "a-1.m4s")) {
            byte[] original = Files.readAllBytes(packaged.resolve(name));
            assertArrayEquals(original, BoxWriter.toBytes(BoxParser.parse(original)), name);
        }
    }

    @Test
    void protectedSampleEntryIsParsedDownToTenc() throws IOException {
        Path packaged = EncryptedMedia.shaka(media, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        var moov = (Box.Container) BoxParser.parse(Files.readAllBytes(packaged.resolve("v-init.mp4"))).get(1);
        Box.Container encv = path(moov, "trak", "mdia", "minf", "stbl", "stsd", "encv");
        byte[] tenc = path(encv, "sinf", "schi").leaf("tenc").orElseThrow();
        EncryptionParameters parameters = EncryptionParameters.ofTenc(tenc);
        assertEquals(TestSecrets.KID_A, java.util.HexFormat.of().formatHex(parameters.kid()));
        assertEquals(8, parameters.perSampleIvSize());
    }

    @Test
    void largeSizeIsKeptOnTheWayOut() throws IOException {
        byte[] box = ByteBuffer.allocate(20).putInt(1).put(ascii("free")).putLong(20).putInt(7).array();
        List<Box> boxes = BoxParser.parse(box);
        assertEquals(true, boxes.getFirst().largeSize());
        assertArrayEquals(box, BoxWriter.toBytes(boxes));
    }

    @Test
    void sizePastTheEndIsBadSize() {
        byte[] box = ByteBuffer.allocate(16).putInt(4096).put(ascii("moov")).putLong(0).array();
        assertEquals(Mp4Exception.Reason.BAD_SIZE, reason(() -> BoxParser.parse(box)));
    }

    @Test
    void sizeSmallerThanItsHeaderIsBadSizeNotALoop() {
        byte[] box = ByteBuffer.allocate(16).putInt(4).put(ascii("free")).putLong(0).array();
        assertEquals(Mp4Exception.Reason.BAD_SIZE, reason(() -> BoxParser.parse(box)));
    }

    @Test
    void childPastItsParentIsBadSize() {
        byte[] box = ByteBuffer.allocate(24).putInt(24).put(ascii("moov")).putInt(64).put(ascii("trak"))
                .putLong(0).array();
        assertEquals(Mp4Exception.Reason.BAD_SIZE, reason(() -> BoxParser.parse(box)));
    }

    @Test
    void nestingBeyondTheLimitIsTooDeep() {
        int depth = 40;
        ByteBuffer nested = ByteBuffer.allocate(8 * depth);
        for (int i = 0; i < depth; i++) {
            nested.putInt(8 * (depth - i)).put(ascii("moov"));
        }
        assertEquals(Mp4Exception.Reason.TOO_DEEP, reason(() -> BoxParser.parse(nested.array())));
    }

    @Test
    void truncatedHeaderInAStreamIsTruncated() {
        assertEquals(Mp4Exception.Reason.TRUNCATED,
                reason(() -> BoxHeader.read(new ByteArrayInputStream(new byte[] {0, 0, 0}))));
    }

    @Test
    void runClaimingFourBillionSamplesIsRefusedBeforeAllocating() {
        byte[] trun = ByteBuffer.allocate(16).putInt(0x000200).putInt(-1).putLong(0).array();
        assertEquals(Mp4Exception.Reason.TOO_MANY_ENTRIES, reason(() -> TrackRun.parse(trun)));
    }

    @Test
    void runWithoutPerSampleFieldsStillHasABoundedCount() {
        byte[] trun = ByteBuffer.allocate(8).putInt(0).putInt(-1).array();
        assertEquals(Mp4Exception.Reason.TOO_MANY_ENTRIES, reason(() -> TrackRun.parse(trun)));
    }

    @Test
    void sampleEncryptionClaimingFourBillionSubsamplesIsRefused() {
        byte[] senc = ByteBuffer.allocate(18).putInt(0x2).putInt(1).putLong(0).putShort((short) 0xFFFF).array();
        assertEquals(Mp4Exception.Reason.TOO_MANY_ENTRIES,
                reason(() -> SampleEncryption.parse(senc, i -> 8)));
    }

    @Test
    void truncatedFieldsAreTruncated() {
        byte[] tfhd = ByteBuffer.allocate(8).putInt(0x1).putInt(1).array();
        assertEquals(Mp4Exception.Reason.TRUNCATED, reason(() -> TrackFragmentHeader.parse(tfhd)));
    }

    @Test
    void badIvSizeInTencIsMalformed() {
        byte[] tenc = ByteBuffer.allocate(24).putInt(0).putShort((short) 0).put((byte) 1).put((byte) 7)
                .array();
        assertEquals(Mp4Exception.Reason.MALFORMED, reason(() -> EncryptionParameters.ofTenc(tenc)));
    }

    @Test
    void unknownBoxesAreLeaves() throws IOException {
        byte[] box = ByteBuffer.allocate(12).putInt(12).put(ascii("zzzz")).putInt(42).array();
        Box parsed = BoxParser.parseOne(box);
        assertInstanceOf(Box.Leaf.class, parsed);
        assertEquals("zzzz", parsed.type());
    }

    private static Box.Container path(Box.Container from, String... types) {
        Box.Container at = from;
        for (String type : types) {
            at = at.container(type).orElseThrow(() -> new AssertionError("no " + type));
        }
        return at;
    }

    private interface Parse {
        void run() throws IOException;
    }

    private static Mp4Exception.Reason reason(Parse parse) {
        return assertThrows(Mp4Exception.class, parse::run).reason();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
