package dev.sprox.hls;

/**
 * The hostile input of issue 14 §4, built at test time: {@code #EXT-X-DEFINE:NAME="a",VALUE="<16 000 × '/'>"}
 * followed by lines of {@code s{$a}}. Each line is six bytes and becomes a URI of 16 000 characters, which a
 * mapper that percent-encodes turns into ~48 000. (A bare {@code {$a}} would start with {@code //}: a reference
 * without a host, which the rewriter refuses anyway.)
 */
public final class ExpansionPlaylist {
    /** Lines that keep the playlist under 4 MiB, the default limit on what is read. */
    public static final int LINES = 690_000;

    private ExpansionPlaylist() {}

    public static String of(int lines) {
        var playlist = new StringBuilder(lines * 6 + 16_100);
        playlist.append("#EXTM3U\n#EXT-X-DEFINE:NAME=\"a\",VALUE=\"").append("/".repeat(16_000)).append("\"\n");
        for (int i = 0; i < lines; i++) {
            playlist.append("s{$a}\n");
        }
        return playlist.toString();
    }
}
