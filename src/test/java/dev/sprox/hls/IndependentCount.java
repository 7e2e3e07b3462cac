package dev.sprox.hls;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many URIs a playlist holds, counted with plain regular expressions over the text rather than the engine's
 * line walk, so the two can check each other. Like the engine, it leaves out URIs of other schemes (skd:, data:).
 */
final class IndependentCount {

    private static final Pattern URI_LINE = Pattern.compile("(?m)^[ \\t]*[^#\\s].*$");
    private static final Pattern URI_TAG_LINE = Pattern.compile("(?m)^[ \\t]*#(EXT-X-[A-Z-]+):(.*)$");
    private static final Set<String> URI_TAGS = Set.of("EXT-X-KEY", "EXT-X-SESSION-KEY", "EXT-X-MAP", "EXT-X-MEDIA",
            "EXT-X-I-FRAME-STREAM-INF", "EXT-X-IMAGE-STREAM-INF", "EXT-X-PART", "EXT-X-PRELOAD-HINT", "EXT-X-RENDITION-REPORT",
            "EXT-X-SESSION-DATA", "EXT-X-CONTENT-STEERING", "EXT-X-DATERANGE");
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("(?:^|,)\\s*(?:URI|SERVER-URI|X-ASSET-URI|X-ASSET-LIST)\\s*=\\s*\"([^\"]*)");
    private static final Pattern OTHER_SCHEME = Pattern.compile("^(?!(?i:https?):)[A-Za-z][A-Za-z0-9+.-]*:.*");

    private IndependentCount() {}

    static int urisIn(String text) {
        String playlist = text.startsWith("\uFEFF") ? text.substring(1) : text;
        int count = (int) URI_LINE.matcher(playlist).results().count();
        Matcher tag = URI_TAG_LINE.matcher(playlist);
        while (tag.find()) {
            if (URI_TAGS.contains(tag.group(1))) {
                count += (int) URI_ATTRIBUTE.matcher(tag.group(2)).results()
                        .filter(uri -> !OTHER_SCHEME.matcher(uri.group(1)).matches()).count();
            }
        }
        return count;
    }

    static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
