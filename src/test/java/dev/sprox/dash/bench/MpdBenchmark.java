package dev.sprox.dash.bench;

import dev.sprox.dash.HlsConverter;
import dev.sprox.dash.Mpd;
import dev.sprox.dash.MpdException;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdReader;
import dev.sprox.dash.MpdRewriter;
import dev.sprox.hls.UriMapper;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The DASH engine on one thread over a two-hour VOD MPD with a SegmentTimeline per AdaptationSet (five video
 * Representations, two audio; segment durations alternate so no {@code S@r} compacts them: 3600 S elements
 * each): the MPD rewrite, and the conversion to a multivariant and to one media playlist (each including the
 * read of the MPD, as a request would). Run with scripts/jmh-dash; arguments are JMH's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MpdBenchmark {

    static final URI MPD_URL = URI.create("https://cdn.example.com/vod/title-42/manifest.mpd");
    static final int SEGMENTS = 3600;
    public static final String MPD = twoHourTimeline();

    /** What a proxy does at the least: put the origin URL behind its own prefix. */
    private final UriMapper mapper = uri -> "https://edge.example/" + uri.absolute().substring("https://".length());

    @Benchmark
    public String rewriteMpd() throws MpdException {
        return MpdRewriter.rewrite(MPD, MPD_URL, mapper, MpdLimits.defaults());
    }

    @Benchmark
    public String convertMultivariant() throws MpdException {
        Mpd mpd = MpdReader.read(MPD, MPD_URL, MpdLimits.defaults());
        return HlsConverter.multivariant(mpd, r -> "playlist.m3u8?rep=" + r.id());
    }

    @Benchmark
    public String convertMediaPlaylist() throws MpdException {
        Mpd mpd = MpdReader.read(MPD, MPD_URL, MpdLimits.defaults());
        return HlsConverter.mediaPlaylist(mpd, "v1080", Instant.EPOCH, Map.of(), mapper, MpdLimits.defaults());
    }

    static String twoHourTimeline() {
        StringBuilder mpd = new StringBuilder(512 * 1024).append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" xmlns:cenc="urn:mpeg:cenc:2013" type="static"
                     profiles="urn:mpeg:dash:profile:isoff-live:2011" mediaPresentationDuration="PT2H0M0S"
                     minBufferTime="PT4S">
                  <BaseURL>https://cdn.example.com/vod/title-42/dash/</BaseURL>
                  <Period id="0" start="PT0S">
                """);
        adaptationSet(mpd, "video", 90000, 180180, 179820, """
                      <Representation id="v1080" bandwidth="6000000" codecs="avc1.640028" width="1920" height="1080"/>
                      <Representation id="v720" bandwidth="3000000" codecs="avc1.64001f" width="1280" height="720"/>
                      <Representation id="v540" bandwidth="1800000" codecs="avc1.64001f" width="960" height="540"/>
                      <Representation id="v360" bandwidth="800000" codecs="avc1.64001e" width="640" height="360"/>
                      <Representation id="v240" bandwidth="400000" codecs="avc1.640015" width="426" height="240"/>
                """);
        adaptationSet(mpd, "audio", 48000, 96256, 95744, """
                      <Representation id="a-en" bandwidth="128000" codecs="mp4a.40.2"/>
                      <Representation id="a-fr" bandwidth="128000" codecs="mp4a.40.2"/>
                """);
        return mpd.append("  </Period>\n</MPD>\n").toString();
    }

    private static void adaptationSet(StringBuilder mpd, String type, int timescale, int even, int odd,
                                      String representations) {
        mpd.append("    <AdaptationSet contentType=\"").append(type).append("\" mimeType=\"").append(type)
                .append("/mp4\" segmentAlignment=\"true\">\n")
                .append("      <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\"")
                .append(" cenc:default_KID=\"10000000-1000-1000-1000-100000000001\"/>\n")
                .append("      <SegmentTemplate timescale=\"").append(timescale)
                .append("\" initialization=\"$RepresentationID$/init.mp4\"")
                .append(" media=\"$RepresentationID$/t$Time$.m4s?token=af3c91e0d2\">\n        <SegmentTimeline>\n");
        long t = 0;
        for (int i = 0; i < SEGMENTS; i++) {
            int d = i % 2 == 0 ? even : odd;
            mpd.append("          <S t=\"").append(t).append("\" d=\"").append(d).append("\"/>\n");
            t += d;
        }
        mpd.append("        </SegmentTimeline>\n      </SegmentTemplate>\n").append(representations)
                .append("    </AdaptationSet>\n");
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(MpdBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.printf("%nMPD: two hours, %d timeline entries per AdaptationSet, %,d chars%n", SEGMENTS,
                MPD.length());
        for (RunResult result : results) {
            double perSecond = result.getPrimaryResult().getScore();
            System.out.printf("%-22s %,8.1f per second = %,7.2f ms each = %,6.1f MB/s of MPD text%n",
                    result.getParams().getBenchmark().substring(result.getParams().getBenchmark().lastIndexOf('.') + 1),
                    perSecond, 1000 / perSecond, perSecond * MPD.length() / 1e6);
        }
    }
}
