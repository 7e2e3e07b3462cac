package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.mp4.Box;
import dev.sprox.mp4.BoxParser;
import dev.sprox.mp4.Mp4Exception;
import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Content encrypted by Shaka Packager (each scheme) and by ffmpeg, decrypted by sprox: ffmpeg, given no key,
 * decodes exactly the frames of the clear source.
 */
class FragmentDecryptorTest {
    @TempDir
    static Path media;
    private static Path clip;
    private static List<String> clearVideo;
    private static List<String> clearAudio;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeClip() throws IOException {
        clip = EncryptedMedia.clip(media);
        clearVideo = EncryptedMedia.frameMd5(clip, "v");
        clearAudio = EncryptedMedia.frameMd5(clip, "a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void shakaPackagedVideoDecryptsToTheSourceFrames(String scheme) throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        Path decrypted = decrypt(EncryptedMedia.concat(dir.resolve("v.mp4"), packaged.resolve("v-init.mp4"),
                packaged.resolve("v-1.m4s"), packaged.resolve("v-2.m4s")), onlyKidA());
        assertEquals(clearVideo, EncryptedMedia.frameMd5(decrypted, "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void shakaPackagedAudioDecryptsToTheSourceFrames(String scheme) throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        Path decrypted = decrypt(EncryptedMedia.concat(dir.resolve("a.mp4"), packaged.resolve("a-init.mp4"),
                packaged.resolve("a-1.m4s"), packaged.resolve("a-2.m4s")), keyA());
        assertEquals(clearAudio, withoutPriming(EncryptedMedia.frameMd5(decrypted, "a")));
    }

    /**
     * Key rotation: the init segment's {@code tenc} names no KID (zeros), each fragment names its own in a
     * {@code seig} group, and the key is looked up by that KID alone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs"})
    void seigSampleGroupsOfKeyRotationDecryptToTheSourceFrames(String scheme) throws IOException {
        Path packaged = EncryptedMedia.shakaKeyRotation(dir, clip, scheme, TestSecrets.KID_A,
                TestSecrets.CONTENT_KEY_A);
        byte[] segment = Files.readAllBytes(packaged.resolve("v-2.m4s"));
        assertTrue(new String(segment, java.nio.charset.StandardCharsets.ISO_8859_1).contains("seig"), "no seig");
        Path decrypted = decrypt(EncryptedMedia.concat(dir.resolve("v.mp4"), packaged.resolve("v-init.mp4"),
                packaged.resolve("v-1.m4s"), packaged.resolve("v-2.m4s")), onlyKidA());
        assertEquals(clearVideo, EncryptedMedia.frameMd5(decrypted, "v"));
    }

    /**
     * ffmpeg 5.1 (Debian 12) writes fragmented {@code cenc-aes-ctr} without any {@code senc} in its fragments (it
     * cannot play the file back itself, "saio atom found without saiz"): sprox says so rather than guess.
     */
    @Test
    void ffmpegFragmentsWithoutSampleEncryptionAreRefused() throws IOException {
        Path encrypted = EncryptedMedia.ffmpegCenc(dir, clip, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        Mp4Exception e = assertThrows(Mp4Exception.class, () -> decrypt(encrypted, keyA()));
        assertEquals(Mp4Exception.Reason.UNSUPPORTED, e.reason());
    }

    @Test
    void decryptedInitSegmentCarriesNoProtection() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        byte[] clear = decrypt(Files.readAllBytes(packaged.resolve("v-init.mp4")), keyA());
        Box.Container moov = (Box.Container) BoxParser.parse(clear).stream().filter(b -> b.type().equals("moov"))
                .findFirst().orElseThrow();
        assertTrue(moov.all("pssh").isEmpty(), "pssh left in the moov");
        String text = new String(clear, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("encv") || text.contains("sinf") || text.contains("tenc"), "protection left");
        assertTrue(text.contains("avc1"), "the original format is back");
    }

    @Test
    void decryptedSegmentHasNoEncryptionBoxes() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cbcs", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        var decryptor = new FragmentDecryptor(Map.of(), keyA(), FragmentDecryptor.Limits.DEFAULT);
        decrypt(decryptor, Files.readAllBytes(packaged.resolve("v-init.mp4")));
        byte[] segment = decrypt(decryptor, Files.readAllBytes(packaged.resolve("v-1.m4s")));
        String text = new String(segment, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String box : List.of("senc", "saiz", "saio", "seig")) {
            assertFalse(text.contains(box), box + " left in the segment");
        }
        assertTrue(decryptor.bytesDecrypted() > 0);
    }

    @Test
    void segmentIsWrittenWhileItIsStillBeingRead() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        var decryptor = new FragmentDecryptor(Map.of(), keyA(), FragmentDecryptor.Limits.DEFAULT);
        decrypt(decryptor, Files.readAllBytes(packaged.resolve("v-init.mp4")));
        byte[] segment = Files.readAllBytes(packaged.resolve("v-1.m4s"));
        var in = new java.io.ByteArrayInputStream(segment);
        long[] readWhenHalfWritten = {-1};
        var out = new OutputStream() {
            long written;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written += len;
                if (written > segment.length / 2 && readWhenHalfWritten[0] < 0) {
                    readWhenHalfWritten[0] = segment.length - in.available();
                }
            }
        };
        decryptor.decrypt(in, out);
        assertTrue(readWhenHalfWritten[0] < segment.length * 3 / 4, "read " + readWhenHalfWritten[0] + " of "
                + segment.length + " bytes before writing half");
    }

    @Test
    void moofLargerThanTheLimitIsTooLarge() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        byte[] segment = Files.readAllBytes(packaged.resolve("v-1.m4s"));
        var decryptor = new FragmentDecryptor(Map.of(), keyA(), new FragmentDecryptor.Limits(256, 1 << 20));
        Mp4Exception e = assertThrows(Mp4Exception.class, () -> decrypt(decryptor, segment));
        assertEquals(Mp4Exception.Reason.TOO_LARGE, e.reason());
    }

    @Test
    void sampleLargerThanTheLimitIsTooLarge() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        var decryptor = new FragmentDecryptor(Map.of(), keyA(), new FragmentDecryptor.Limits(1 << 20, 64));
        decrypt(decryptor, Files.readAllBytes(packaged.resolve("v-init.mp4")));
        byte[] segment = Files.readAllBytes(packaged.resolve("v-1.m4s"));
        Mp4Exception e = assertThrows(Mp4Exception.class, () -> decrypt(decryptor, segment));
        assertEquals(Mp4Exception.Reason.TOO_LARGE, e.reason());
    }

    @Test
    void missingKeyNamesTheKid() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        Path encrypted = EncryptedMedia.concat(dir.resolve("v.mp4"), packaged.resolve("v-init.mp4"),
                packaged.resolve("v-1.m4s"));
        DecryptException e = assertThrows(DecryptException.class, () -> decrypt(encrypted, kid -> {
            throw new DecryptException(DecryptException.Reason.MISSING_KEY, Optional.of(kid), "no key for " + kid);
        }));
        assertEquals(DecryptException.Reason.MISSING_KEY, e.reason());
        assertEquals(Kid.parse(TestSecrets.KID_A), e.kid());
    }

    /** AAC audio, encrypted whole: its first decrypted sample is already not AAC, and the KID is named. */
    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void wrongKeyIsFoundInTheFirstAudioSamples(String scheme) throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        Path encrypted = EncryptedMedia.concat(dir.resolve("a.mp4"), packaged.resolve("a-init.mp4"),
                packaged.resolve("a-1.m4s"), packaged.resolve("a-2.m4s"));
        DecryptException e = assertThrows(DecryptException.class, () -> decrypt(encrypted, keyB()));
        assertEquals(DecryptException.Reason.WRONG_KEY, e.reason());
        assertEquals(Kid.parse(TestSecrets.KID_A), e.kid());
        assertTrue(e.getMessage().startsWith("the key for KID " + TestSecrets.KID_A + " does not decrypt this content"),
                e.getMessage());
        assertFalse(e.getMessage().contains(TestSecrets.CONTENT_KEY_B), "the key in the message");
    }

    /**
     * A video track alone shows a wrong key only over many samples; the audio under the same KID shows it at once, and
     * from then on the video is refused too, before any of its samples is decrypted. The right key still works.
     */
    @Test
    void aKeyFoundWrongOnTheAudioIsRefusedForTheVideoUnderTheSameKid() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        var verdicts = new KeyVerdicts();
        var audio = new FragmentDecryptor(Map.of(), keyB(), FragmentDecryptor.Limits.DEFAULT, verdicts);
        decrypt(audio, Files.readAllBytes(packaged.resolve("a-init.mp4")));
        assertThrows(DecryptException.class, () -> audio.start(
                new java.io.ByteArrayInputStream(Files.readAllBytes(packaged.resolve("a-1.m4s")))));

        var video = new FragmentDecryptor(Map.of(), keyB(), FragmentDecryptor.Limits.DEFAULT, verdicts);
        decrypt(video, Files.readAllBytes(packaged.resolve("v-init.mp4")));
        DecryptException e = assertThrows(DecryptException.class, () -> video.start(
                new java.io.ByteArrayInputStream(Files.readAllBytes(packaged.resolve("v-1.m4s")))));
        assertEquals(DecryptException.Reason.WRONG_KEY, e.reason());
        assertEquals(0, video.bytesDecrypted());

        var right = new FragmentDecryptor(Map.of(), keyA(), FragmentDecryptor.Limits.DEFAULT, verdicts);
        decrypt(right, Files.readAllBytes(packaged.resolve("v-init.mp4")));
        decrypt(right, Files.readAllBytes(packaged.resolve("v-1.m4s")));
        assertTrue(right.bytesDecrypted() > 0);
    }

    /**
     * HEVC video and AC-3 audio (each sample starts with a sync word): the right key passes the checks in every
     * scheme and gives the source's frames; a wrong one fails at the first audio sample.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void hevcAndAc3PassTheChecksWithTheRightKeyAndAc3FailsWithAWrongOne(String scheme) throws IOException {
        Path source = Files.createDirectories(dir.resolve("hevc")).resolve("hevc.mp4");
        EncryptedMedia.ffmpeg("-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "anoisesrc=sample_rate=48000", "-t", "2",
                "-c:v", "libx265", "-x265-params", "log-level=error", "-tag:v", "hvc1", "-g", "25", "-c:a", "ac3",
                "-ac", "2", source.toString());
        Path packaged = EncryptedMedia.shaka(source.getParent(), source, scheme, TestSecrets.KID_A,
                TestSecrets.CONTENT_KEY_A);
        for (String track : List.of("v", "a")) {
            Path decrypted = decrypt(EncryptedMedia.concat(dir.resolve(track + ".mp4"),
                    packaged.resolve(track + "-init.mp4"), packaged.resolve(track + "-1.m4s"),
                    packaged.resolve(track + "-2.m4s")), keyA());
            List<String> expected = EncryptedMedia.frameMd5(source, track);
            List<String> decoded = EncryptedMedia.frameMd5(decrypted, track);
            // The source's edit list trims its first audio frame; the packaged track plays it whole.
            int from = track.equals("a") ? 1 : 0;
            assertEquals(expected.subList(from, expected.size()), decoded.subList(from, decoded.size()), track);
        }
        Path audio = EncryptedMedia.concat(dir.resolve("a.mp4"), packaged.resolve("a-init.mp4"),
                packaged.resolve("a-1.m4s"));
        DecryptException e = assertThrows(DecryptException.class, () -> decrypt(audio, keyB()));
        assertEquals(DecryptException.Reason.WRONG_KEY, e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void startHoldsBackTheFirstSamplesSoAWrongKeyIsFoundBeforeAnyByteIsSent(String scheme) throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        var decryptor = new FragmentDecryptor(Map.of(), keyB(), FragmentDecryptor.Limits.DEFAULT);
        decrypt(decryptor, Files.readAllBytes(packaged.resolve("a-init.mp4")));
        DecryptException e = assertThrows(DecryptException.class, () -> decryptor.start(
                new java.io.ByteArrayInputStream(Files.readAllBytes(packaged.resolve("a-1.m4s")))));
        assertEquals(DecryptException.Reason.WRONG_KEY, e.reason());
    }

    @Test
    void startThenDecryptGivesTheSameBytesAsDecryptAlone() throws IOException {
        Path packaged = EncryptedMedia.shaka(dir, clip, "cbcs", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        for (String track : List.of("v", "a")) {
            byte[] init = Files.readAllBytes(packaged.resolve(track + "-init.mp4"));
            byte[] segment = Files.readAllBytes(packaged.resolve(track + "-1.m4s"));
            var whole = new FragmentDecryptor(Map.of(), keyA(), FragmentDecryptor.Limits.DEFAULT);
            decrypt(whole, init);
            var started = new FragmentDecryptor(Map.of(), keyA(), FragmentDecryptor.Limits.DEFAULT);
            decrypt(started, init);
            var in = new java.io.ByteArrayInputStream(segment);
            started.start(in);
            assertTrue(in.available() < segment.length, "start read nothing");
            assertTrue(in.available() > 0, "start held back more than the first 16 samples of the 25");
            var out = new ByteArrayOutputStream();
            started.decrypt(in, out);
            assertArrayEquals(decrypt(whole, segment), out.toByteArray(), track);
        }
    }

    /** The right key never fails the checks: every scheme, video and audio, mono and stereo AAC. */
    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void rightKeyPassesTheChecksOnStereoAudio(String scheme) throws IOException {
        Path stereo = Files.createDirectories(dir.resolve("stereo"));
        EncryptedMedia.ffmpeg("-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-f", "lavfi", "-i", "anoisesrc=color=pink:sample_rate=44100",
                "-filter_complex", "[0][1]amerge=inputs=2", "-t", "3", "-c:a", "aac", "-b:a", "128k",
                stereo.resolve("stereo.mp4").toString());
        List<String> clearStereo = EncryptedMedia.frameMd5(stereo.resolve("stereo.mp4"), "a");
        Path packaged = EncryptedMedia.shakaStream(stereo, stereo.resolve("stereo.mp4"), "audio", scheme,
                TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        Path decrypted = decrypt(EncryptedMedia.concat(dir.resolve("a.mp4"), packaged.resolve("a-init.mp4"),
                packaged.resolve("a-1.m4s"), packaged.resolve("a-2.m4s"), packaged.resolve("a-3.m4s")), keyA());
        List<String> frames = EncryptedMedia.frameMd5(decrypted, "a");
        assertEquals(clearStereo, frames.subList(1, frames.size()));
    }

    /**
     * The packaged audio starts with the AAC encoder's priming frame, which the source's edit list hides and the
     * packager's output shows: the frames after it must be the source's.
     */
    private static List<String> withoutPriming(List<String> decoded) {
        assertEquals(clearAudio.size() + 1, decoded.size(), "frames decoded");
        return decoded.subList(1, decoded.size());
    }

    /** Key A for KID A and no key for any other KID: a decryptor that asks under another KID fails. */
    private static FragmentDecryptor.Keys onlyKidA() {
        return kid -> {
            if (!kid.equals(Kid.parse(TestSecrets.KID_A).orElseThrow())) {
                throw new DecryptException(DecryptException.Reason.MISSING_KEY, Optional.of(kid), "not KID A");
            }
            return ContentKey.parse(TestSecrets.CONTENT_KEY_A).orElseThrow();
        };
    }

    private static FragmentDecryptor.Keys keyA() {
        return kid -> ContentKey.parse(TestSecrets.CONTENT_KEY_A).orElseThrow();
    }

    private static FragmentDecryptor.Keys keyB() {
        return kid -> ContentKey.parse(TestSecrets.CONTENT_KEY_B).orElseThrow();
    }

    private Path decrypt(Path encrypted, FragmentDecryptor.Keys keys) throws IOException {
        Path out = dir.resolve("clear-" + encrypted.getFileName());
        try (var decryptor = new FragmentDecryptor(Map.of(), keys, FragmentDecryptor.Limits.DEFAULT);
             InputStream in = Files.newInputStream(encrypted); OutputStream target = Files.newOutputStream(out)) {
            decryptor.decrypt(in, target);
        }
        return out;
    }

    private static byte[] decrypt(byte[] encrypted, FragmentDecryptor.Keys keys) throws IOException {
        try (var decryptor = new FragmentDecryptor(Map.of(), keys, FragmentDecryptor.Limits.DEFAULT)) {
            return decrypt(decryptor, encrypted);
        }
    }

    private static byte[] decrypt(FragmentDecryptor decryptor, byte[] encrypted) throws IOException {
        var out = new ByteArrayOutputStream();
        decryptor.decrypt(new java.io.ByteArrayInputStream(encrypted), out);
        return out.toByteArray();
    }
}
