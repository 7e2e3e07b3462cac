package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of H.264 stream x264 makes, packaged by Shaka Packager: with its key it passes the checks a decrypted
 * sample must pass ({@link NalUnits}) and decrypts to its source's frames. A check that misjudged one of them would
 * refuse a right key, so each profile and tool that changes the bitstream's syntax is here.
 */
class H264KindsTest {
    @TempDir
    Path dir;

    /** Each row: what the x264 options make the headers carry, then the options. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "cenc | baseline: CAVLC, no B-frames, picture order type 2 | -profile:v baseline",
        "cenc | main: CABAC, B-frames in a pyramid, four references | -profile:v main -bf 3 -refs 4",
        "cenc | high: four slices a picture, weighted P prediction, 8x8 transform | -profile:v high "
                + "-x264-params slices=4:weightp=2:ref=3",
        "cenc | high: interlaced (MBAFF) | -profile:v high -flags +ilme+ildct "
                + "-x264-params tff=1",
        "cenc | high: scaling matrices, no deblocking, CAVLC | -profile:v high "
                + "-x264-params cqm=jvt:no-deblock=1:cabac=0",
        "cenc | high 4:4:4 | -profile:v high444 -pix_fmt yuv444p",
        "cenc | high 10-bit | -profile:v high10 -pix_fmt yuv420p10le",
        "cbcs | main | -profile:v main -bf 3",
        "cens | main | -profile:v main -bf 3",
    })
    void everyKindOfStreamPassesWithItsKeyAndDecryptsToItsSource(String scheme, String kind, String options)
            throws IOException {
        Path source = encode(options);
        Path packaged = EncryptedMedia.shakaStream(dir, source, "video", scheme, TestSecrets.KID_A,
                TestSecrets.CONTENT_KEY_A);
        Path decrypted = dir.resolve("clear.mp4");
        try (var decryptor = new FragmentDecryptor(Map.of(), key(TestSecrets.CONTENT_KEY_A),
                FragmentDecryptor.Limits.DEFAULT);
             InputStream in = new ByteArrayInputStream(segments(packaged));
             OutputStream out = Files.newOutputStream(decrypted)) {
            decryptor.decrypt(in, out);
        }
        assertEquals(EncryptedMedia.frameMd5(source, "v"), EncryptedMedia.frameMd5(decrypted, "v"), kind);
    }

    /** Three seconds of moving 320x180 test pattern, a key frame a second, no audio. */
    private Path encode(String options) throws IOException {
        Path source = dir.resolve("source.mp4");
        List<String> command = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                "-i", "testsrc2=size=320x180:rate=25", "-t", "3", "-c:v", "libx264", "-g", "25", "-keyint_min", "25",
                "-sc_threshold", "0"));
        command.addAll(List.of(options.strip().split(" +")));
        command.add(source.toString());
        EncryptedMedia.ffmpeg(command.toArray(String[]::new));
        return source;
    }

    private static byte[] segments(Path packaged) throws IOException {
        var all = new ByteArrayOutputStream();
        all.writeBytes(Files.readAllBytes(packaged.resolve("v-init.mp4")));
        for (int i = 1; Files.exists(packaged.resolve("v-" + i + ".m4s")); i++) {
            all.writeBytes(Files.readAllBytes(packaged.resolve("v-" + i + ".m4s")));
        }
        return all.toByteArray();
    }

    private static FragmentDecryptor.Keys key(String hex) {
        return kid -> ContentKey.parse(hex).orElseThrow();
    }
}
