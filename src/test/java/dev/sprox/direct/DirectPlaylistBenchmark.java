package dev.sprox.direct;

import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.PlaylistRewriter;
import dev.sprox.hls.ResourceKind;
import dev.sprox.hls.RewriteOptions;
import dev.sprox.hls.UriMapper;
import dev.sprox.security.UrlSigner;
import java.net.URI;
import java.util.Collection;
import java.util.TreeMap;
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
 * What the direct endpoints spend rewriting one 1000-segment media playlist, on one thread: the rewriter with the
 * direct mapper, signing included, as {@code /proxy/hls/manifest.m3u8} runs it, beside the per-URI signing it
 * replaced. Run with scripts/jmh-direct;
 * arguments are JMH's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DirectPlaylistBenchmark {
    static final URI MEDIA_URL = URI.create("https://cdn.example.com/vod/title-42/1080p/index.m3u8");
    static final String MEDIA = mediaPlaylist(1000);
    private static final HeaderOverrides OVERRIDES = new HeaderOverrides(new TreeMap<>(
            java.util.Map.of("referer", "https://site.example/", "user-agent", "Kodi/21")));
    private final UrlSigning signing = new UrlSigning(UrlSigner.ephemeral(), 1_900_000_000L);

    @Benchmark
    public String signedPrefix() throws PlaylistException {
        return PlaylistRewriter.rewrite(MEDIA, MEDIA_URL, DirectPlaylistMapper.of(MEDIA_URL, OVERRIDES, signing),
                RewriteOptions.defaults().withQueryParametersInlined());
    }

    /** What the mapper did before signed prefixes (one signed URL per URI), measured in the same run to compare. */
    @Benchmark
    public String signedUrlPerUri() throws PlaylistException {
        UriMapper perUri = uri -> uri.kind() == ResourceKind.PLAYLIST
                ? DirectUrls.manifest(uri.toUri(), OVERRIDES, signing)
                : DirectUrls.stream(uri.toUri(), OVERRIDES, signing);
        return PlaylistRewriter.rewrite(MEDIA, MEDIA_URL, perUri, RewriteOptions.defaults().withQueryParametersInlined());
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

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(DirectPlaylistBenchmark.class.getName());
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        for (RunResult result : results) {
            System.out.printf("direct media playlist, 1000 segments, %s: %,.0f playlists/s%n",
                    result.getParams().getBenchmark().replaceAll(".*\\.", ""), result.getPrimaryResult().getScore());
        }
    }
}
