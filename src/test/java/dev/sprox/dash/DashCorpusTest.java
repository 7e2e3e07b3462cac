package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.dash.SegmentIndexBox.Subsegment;
import dev.sprox.hls.UriMapper;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's DASH corpus (src/test/resources/dash): each {@code <case>.properties} names an MPD (its own
 * name by default), the URL it was fetched from, the Representations to convert and, for live, the clock. Next to
 * it stand the expected outputs: {@code <case>.rewritten.mpd} (origin.test → sprox.test, as route mode maps),
 * {@code <case>.master.m3u8} and {@code <case>.<rep>.m3u8}; an on-demand case gives the sidx its caller would
 * have fetched as {@code index.url}, {@code index.range} and {@code index.sidx}. Run with {@code -Ddash.corpus.update=true} to
 * rewrite the expected files from the code after a deliberate change, then read the diff.
 */
class DashCorpusTest {
    static final Path DIRECTORY = Path.of("src/test/resources/dash");
    private static final boolean UPDATE = Boolean.getBoolean("dash.corpus.update");

    /** Route mode's shape: the origin's host becomes sprox's, other hosts are left alone. */
    static final UriMapper TO_SPROX = uri -> uri.absolute().startsWith("https://origin.test/")
            || uri.absolute().startsWith("http://origin.test/")
            ? uri.absolute().replaceFirst("^https?://origin\\.test/", "https://sprox.test/") : uri.absolute();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".properties"))
                    .map(n -> n.substring(0, n.length() - ".properties".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rewritesEveryFetchedUrlAndKeepsTheRest(String name) throws Exception {
        Case c = Case.load(name);
        String rewritten = MpdRewriter.rewrite(c.mpd(), c.url(), TO_SPROX, MpdLimits.defaults());
        check(name + ".rewritten.mpd", rewritten);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void convertsToMultivariantPlaylist(String name) throws Exception {
        Case c = Case.load(name);
        Mpd mpd = MpdReader.read(c.mpd(), c.url(), MpdLimits.defaults());
        check(name + ".master.m3u8", HlsConverter.multivariant(mpd, r -> "playlist.m3u8?rep=" + r.id()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void convertsEachRepresentationToMediaPlaylist(String name) throws Exception {
        Case c = Case.load(name);
        Mpd mpd = MpdReader.read(c.mpd(), c.url(), MpdLimits.defaults());
        for (String rep : c.reps()) {
            String playlist = HlsConverter.mediaPlaylist(mpd, rep, c.now(), c.indexes(), TO_SPROX,
                    MpdLimits.defaults());
            check(name + "." + rep + ".m3u8", playlist);
        }
    }

    private static void check(String expectedFile, String actual) throws IOException {
        Path path = DIRECTORY.resolve(expectedFile);
        if (UPDATE) {
            Files.writeString(path, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(path, StandardCharsets.UTF_8), actual, expectedFile);
    }

    record Case(String mpd, URI url, List<String> reps, Instant now, Map<IndexRequest, List<Subsegment>> indexes) {
        static Case load(String name) throws IOException, MpdException {
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(DIRECTORY.resolve(name + ".properties"))) {
                properties.load(in);
            }
            String mpdFile = properties.getProperty("mpd", name + ".mpd");
            Map<IndexRequest, List<Subsegment>> indexes = new HashMap<>();
            if (properties.containsKey("index.url")) {
                String[] range = properties.getProperty("index.range").split("-");
                long first = Long.parseLong(range[0]);
                var request = new IndexRequest(properties.getProperty("index.url"),
                        new Mpd.ByteRange(first, Long.parseLong(range[1])));
                indexes.put(request, SegmentIndexBox.parse(Sidx.bytes(properties.getProperty("index.sidx")), first));
            }
            return new Case(Files.readString(DIRECTORY.resolve(mpdFile), StandardCharsets.UTF_8),
                    URI.create(properties.getProperty("url")), List.of(properties.getProperty("reps").split(",")),
                    Instant.parse(properties.getProperty("now", "2000-01-01T00:00:00Z")), indexes);
        }
    }

    /** Builds a version-0 sidx box from {@code <timescale>:<duration>/<size>,...}. */
    static final class Sidx {
        static byte[] bytes(String spec) {
            String[] parts = spec.split(":");
            List<long[]> references = new ArrayList<>();
            for (String reference : parts[1].split(",")) {
                String[] ds = reference.split("/");
                references.add(new long[] {Long.parseLong(ds[0]), Long.parseLong(ds[1])});
            }
            int size = 32 + 12 * references.size();
            var out = new java.io.ByteArrayOutputStream();
            int32(out, size);
            out.writeBytes("sidx".getBytes(StandardCharsets.US_ASCII));
            int32(out, 0); // version 0, flags
            int32(out, 1); // reference_ID
            int32(out, Long.parseLong(parts[0]));
            int32(out, 0); // earliest_presentation_time
            int32(out, 0); // first_offset
            out.write(0);
            out.write(0);
            out.write(references.size() >> 8);
            out.write(references.size());
            for (long[] reference : references) {
                int32(out, reference[1]);
                int32(out, reference[0]);
                int32(out, 0x9000_0000L); // starts with SAP type 1
            }
            return out.toByteArray();
        }

        private static void int32(java.io.ByteArrayOutputStream out, long value) {
            out.write((int) (value >>> 24));
            out.write((int) (value >>> 16));
            out.write((int) (value >>> 8));
            out.write((int) value);
        }
    }
}
