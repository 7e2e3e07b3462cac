package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx serving generated HLS streams whose playlists name every resource by its absolute origin URL under
 * {@link #PATH}, so only a proxy that rewrites them brings a player back to itself; with the per-frame checksums
 * of the encrypted stream decoded from disk with the right key, before its URIs changed, to compare what a player
 * decodes through sprox against.
 */
record AbsoluteHlsOrigin(NginxOrigin nginx, AbsoluteHls multiVariant, AbsoluteHls fmp4, AbsoluteHls aes128,
                         List<String> aes128Frames) implements AutoCloseable {
    static final String PATH = "/vod";
    private static final Duration DECODE_TIMEOUT = Duration.ofSeconds(60);

    /** Generates the streams under {@code work} and starts nginx on them. */
    static AbsoluteHlsOrigin serve(Path work) throws IOException {
        Path root = Files.createDirectories(work.resolve("hls"));
        AbsoluteHls.multiVariant(root.resolve("multi"));
        AbsoluteHls.fmp4(root.resolve("fmp4"));
        AbsoluteHls.aes128(root.resolve("aes"));
        List<String> aes128Frames = frameChecksums(root.resolve("aes/index.m3u8").toString(),
                work.resolve("reference.md5"), "-allowed_extensions", "ALL");
        NginxOrigin nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), PATH + "/", root);
        String origin = "http://127.0.0.1:" + nginx.port() + PATH;
        return new AbsoluteHlsOrigin(nginx, AbsoluteHls.absolutize(root, "multi/master.m3u8", origin),
                AbsoluteHls.absolutize(root, "fmp4/index.m3u8", origin),
                AbsoluteHls.absolutize(root, "aes/index.m3u8", origin), aes128Frames);
    }

    /** Decodes every stream of {@code input} and returns the per-frame checksums, written to {@code file}. */
    static List<String> frameChecksums(String input, Path file, String... inputOptions) {
        var args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error"));
        args.addAll(List.of(inputOptions));
        args.addAll(List.of("-i", input, "-map", "0", "-f", "framemd5", "-y", file.toString()));
        ExternalTool.Finished decoded = HlsStream.ffmpeg().run(DECODE_TIMEOUT, args.toArray(String[]::new));
        assertEquals(0, decoded.exitCode(), decoded::toString);
        return frameChecksums(file);
    }

    /** The checksums ffmpeg's framemd5 wrote to {@code file}, without the line naming ffmpeg's version. */
    static List<String> frameChecksums(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(line -> !line.startsWith("#software")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        nginx.close();
    }
}
