package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Six seconds of test pattern and tone packaged by ffmpeg's DASH muxer in the two addressing modes players meet:
 * {@code template/manifest.mpd} (SegmentTemplate with {@code $Number$}, video and audio) and
 * {@code ondemand/manifest.mpd} naming {@code ondemand/video.mp4} (one fragmented file with a global {@code sidx},
 * behind a SegmentBase with its {@code indexRange}). 4:2:0 video, so browsers decode it too.
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
        byte[] file = Files.readAllBytes(onDemand.resolve("video.mp4"));
        int sidx = boxOffset(file, "sidx");
        int sidxSize = ByteBuffer.wrap(file, sidx, 4).getInt();
        Matcher codecs = Pattern.compile("codecs=\"(avc1[^\"]*)\"").matcher(
                Files.readString(template.resolve("manifest.mpd")));
        if (!codecs.find()) {
            throw new AssertionError("no avc1 codecs in ffmpeg's MPD");
        }
        Files.writeString(onDemand.resolve("manifest.mpd"), """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S"
                     minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
                  <Period><AdaptationSet mimeType="video/mp4" codecs="%s" width="320" height="240">
                    <Representation id="v" bandwidth="300000"><BaseURL>video.mp4</BaseURL>
                      <SegmentBase indexRange="%d-%d"><Initialization range="0-%d"/></SegmentBase>
                    </Representation>
                  </AdaptationSet></Period>
                </MPD>""".formatted(codecs.group(1), sidx, sidx + sidxSize - 1, sidx - 1));
    }

    private static int boxOffset(byte[] file, String type) {
        int offset = 0;
        while (offset + 8 <= file.length) {
            if (new String(file, offset + 4, 4, StandardCharsets.US_ASCII).equals(type)) {
                return offset;
            }
            offset += ByteBuffer.wrap(file, offset, 4).getInt();
        }
        throw new AssertionError("no " + type + " box");
    }

    private static void ffmpeg(String... output) {
        var args = new ArrayList<>(List.of("-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-b:v", "300k"));
        args.addAll(List.of(output));
        ExternalTool.Finished made = HlsStream.ffmpeg().run(TIMEOUT, args.toArray(String[]::new));
        assertEquals(0, made.exitCode(), () -> "ffmpeg could not package: " + made);
    }
}
