package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Six seconds of test pattern and tone packaged by ffmpeg's DASH muxer in the two addressing modes players meet:
 * {@code template/manifest.mpd} (SegmentTemplate with {@code $Number$}, video and audio) and
 * {@code ondemand/video.mp4} (one fragmented file with a global {@code sidx}, for SegmentBase).
 */
final class DashClips {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private DashClips() {}

    static void write(Path root) throws IOException {
        Path template = Files.createDirectories(root.resolve("template"));
        ffmpeg("-map", "0:v", "-map", "1:a", "-c:a", "aac", "-b:a", "64k", "-f", "dash", "-seg_duration", "2",
                "-use_template", "1", "-use_timeline", "0", template.resolve("manifest.mpd").toString());
        Path onDemand = Files.createDirectories(root.resolve("ondemand"));
        ffmpeg("-map", "0:v", "-f", "mp4", "-movflags", "+dash+global_sidx", "-frag_duration", "2000000",
                onDemand.resolve("video.mp4").toString());
    }

    private static void ffmpeg(String... output) {
        var args = new ArrayList<>(List.of("-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-b:v", "300k"));
        args.addAll(List.of(output));
        ExternalTool.Finished made = HlsStream.ffmpeg().run(TIMEOUT, args.toArray(String[]::new));
        assertEquals(0, made.exitCode(), () -> "ffmpeg could not package: " + made);
    }
}
