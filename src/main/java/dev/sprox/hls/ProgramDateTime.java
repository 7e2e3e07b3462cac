package dev.sprox.hls;

/**
 * The {@code hls_strip_program_date_time} feature: drops EXT-X-PROGRAM-DATE-TIME lines (RFC 8216 §4.3.2.6),
 * which some players mis-handle when seeking; every other byte stays.
 */
public final class ProgramDateTime {
    private static final String TAG = "#EXT-X-PROGRAM-DATE-TIME";

    private ProgramDateTime() {}

    public static String strip(String playlist) {
        if (!playlist.contains(TAG)) {
            return playlist;
        }
        var out = new StringBuilder(playlist.length());
        int start = 0;
        while (start < playlist.length()) {
            int newline = playlist.indexOf('\n', start);
            int end = newline < 0 ? playlist.length() : newline + 1;
            if (!playlist.startsWith(TAG, start)) {
                out.append(playlist, start, end);
            }
            start = end;
        }
        return out.toString();
    }
}
