package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random damage to the project's corpus files must end in a rewrite or a PlaylistException, never in anything else. */
class MutatedCorpusTest {

    private static final long SEED = 0x5EED_2026L;
    private static final int ITERATIONS = 5000;
    private static final String[] SNIPPETS = {
        "\"", ",", "\0", "\r", "\n", "\r\n", "{$", "{$v}", "}", "=", " ", "\t", "#", ":", "//", "../", "%", "%zz", "?", "\u0085",
        "\uFEFF", "\uD800", "skd://k", "data:,x", "http:", "URI=\"", "URI=x,", "#EXT-X-KEY:METHOD=AES-128,URI=\"",
        "#EXT-X-DEFINE:NAME=\"v\",VALUE=\"", "#EXT-X-DEFINE:QUERYPARAM=\"q\"\n", "#EXT-X-DEFINE:IMPORT=\"v\"\n",
        "#EXT-X-STREAM-INF:BANDWIDTH=1\n", "#EXTINF:1,\n", "#EXT-X-PRELOAD-HINT:TYPE=", "#EXT-X-DATERANGE:X-ASSET-URI=\"",
    };

    @Test
    void mutatedPlaylistsRewriteOrFailCleanly() {
        Random random = new Random(SEED);
        Corpus corpus = Corpus.own();
        List<String> sources = corpus.names().stream().map(corpus::read).toList();
        int rewritten = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            String playlist = sources.get(random.nextInt(sources.size()));
            for (int mutations = 1 + random.nextInt(3); mutations > 0; mutations--) {
                playlist = mutate(playlist, random);
            }
            try {
                String echoed = PlaylistRewriter.rewrite(playlist, CorpusRewriteTest.PLAYLIST_URL, RecordingMapper.echoing());
                assertEquals(playlist, echoed, "echo must give the input back");
                PlaylistRewriter.rewrite(playlist, CorpusRewriteTest.PLAYLIST_URL, RecordingMapper.proxying());
                rewritten++;
            } catch (PlaylistException expected) {
                // a clean refusal
            } catch (RuntimeException | Error e) {
                fail("iteration " + iteration + " threw " + e + " for:\n" + playlist, e);
            }
        }
        // the mutations must leave enough playlists valid to exercise the rewriting path, not only refusals
        if (rewritten < ITERATIONS / 10) {
            fail("only " + rewritten + " of " + ITERATIONS + " mutated playlists were rewritten");
        }
    }

    private static String mutate(String playlist, Random random) {
        if (playlist.isEmpty()) {
            return SNIPPETS[random.nextInt(SNIPPETS.length)];
        }
        int at = random.nextInt(playlist.length() + 1);
        int replaced = Math.min(at + 1, playlist.length());
        return switch (random.nextInt(7)) {
            case 0 -> playlist.substring(0, at) + (char) random.nextInt(0x10000) + playlist.substring(replaced);
            case 1 -> playlist.substring(0, at);
            case 2 -> shuffleLines(playlist, random);
            case 3 -> playlist.substring(0, at) + '"' + playlist.substring(at);
            case 4 -> playlist.substring(0, at) + '\0' + playlist.substring(at);
            case 5 -> duplicateLine(playlist, random);
            default -> playlist.substring(0, at) + SNIPPETS[random.nextInt(SNIPPETS.length)] + playlist.substring(at);
        };
    }

    /** Keeps the header in place half of the time, so most shuffles still reach the line walk. */
    private static String shuffleLines(String playlist, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(playlist.split("\n", -1)));
        int from = random.nextBoolean() && lines.size() > 1 ? 1 : 0;
        Collections.shuffle(lines.subList(from, lines.size()), random);
        return String.join("\n", lines);
    }

    private static String duplicateLine(String playlist, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(playlist.split("\n", -1)));
        int index = random.nextInt(lines.size());
        lines.add(index, lines.get(index));
        return String.join("\n", lines);
    }
}
