package dev.sprox.hls.bench;

import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.hls.UriMapper;
import java.net.URI;
import java.util.Collection;
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
 * Throughput of {@link PlaylistRewriter} on one thread: a 1000-segment media playlist (reported in MB/s of
 * playlist text) and a 40-line multivariant playlist (reported in playlists/s). Run with scripts/jmh-hls;
 * arguments are JMH's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlaylistRewriterBenchmark {

    static final URI MEDIA_URL = URI.create("https://cdn.example.com/vod/title-42/1080p/index.m3u8");
    static final URI MASTER_URL = URI.create("https://cdn.example.com/vod/title-42/master.m3u8");
    static final String MEDIA = mediaPlaylist(1000);
    static final String MASTER = masterPlaylist();

    /** What a proxy does at the least: put the upstream URL behind its own prefix. */
    private final UriMapper mapper = uri -> "https://edge.example/hls/" + uri.kind().ordinal() + "?d=" + uri.absolute();

    @Benchmark
    public String mediaPlaylist1000Segments() throws PlaylistException {
        return PlaylistRewriter.rewrite(MEDIA, MEDIA_URL, mapper);
    }

    @Benchmark
    public String masterPlaylist40Lines() throws PlaylistException {
        return PlaylistRewriter.rewrite(MASTER, MASTER_URL, mapper);
    }

    static String mediaPlaylist(int segments) {
        StringBuilder playlist = new StringBuilder(segments * 64).append("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:6
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-KEY:METHOD=AES-128,URI="https://keys.example.com/k/title-42?kid=7",IV=0x0000000000000000000000000000002A
                #EXT-X-MAP:URI="init.mp4"
                """);
        for (int i = 0; i < segments; i++) {
            playlist.append("#EXTINF:6.006,\n").append(String.format("segment_%05d.m4s?t=af3c91e0d2\n", i));
        }
        return playlist.append("#EXT-X-ENDLIST\n").toString();
    }

    static String masterPlaylist() {
        StringBuilder playlist = new StringBuilder(8192).append("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",LANGUAGE="en",NAME="English",DEFAULT=YES,AUTOSELECT=YES,URI="audio/en/index.m3u8"
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",LANGUAGE="fr",NAME="Français",DEFAULT=NO,AUTOSELECT=YES,URI="audio/fr/index.m3u8"
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",LANGUAGE="de",NAME="Deutsch",DEFAULT=NO,AUTOSELECT=YES,URI="audio/de/index.m3u8"
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="en",NAME="English",DEFAULT=NO,AUTOSELECT=YES,URI="subs/en/index.m3u8"
                #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=190000,CODECS="avc1.640028",RESOLUTION=1920x1080,URI="1080p/iframes.m3u8"
                """);
        String[] resolutions = {"416x234", "640x360", "768x432", "960x540", "1280x720", "1600x900", "1920x1080", "2560x1440"};
        for (int i = 0; i < 16; i++) {
            playlist.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(300_000 * (i + 1))
                    .append(",CODECS=\"avc1.640028,mp4a.40.2\",RESOLUTION=").append(resolutions[i % resolutions.length])
                    .append(",FRAME-RATE=29.970,AUDIO=\"aac\",SUBTITLES=\"subs\"\n")
                    .append("v").append(i).append("/index.m3u8\n");
        }
        return playlist.toString();
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(PlaylistRewriterBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.printf("%nmedia playlist: %d segments, %d chars; multivariant playlist: %d lines%n",
                1000, MEDIA.length(), MASTER.split("\n").length);
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            double perSecond = result.getPrimaryResult().getScore();
            if (benchmark.endsWith("mediaPlaylist1000Segments")) {
                System.out.printf("media playlist:        %,.0f playlists/s = %,.1f MB/s of playlist text%n",
                        perSecond, perSecond * MEDIA.length() / 1e6);
            } else {
                System.out.printf("multivariant playlist: %,.0f playlists/s%n", perSecond);
            }
        }
    }
}
