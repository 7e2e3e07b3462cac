package dev.sprox.direct;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Media types by file extension, for origins that send none or only {@code application/octet-stream}: some
 * players refuse to play a stream whose type they cannot tell.
 */
final class MediaTypes {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("m4a", "audio/mp4"),
            Map.entry("m4s", "video/iso.segment"), Map.entry("mkv", "video/x-matroska"),
            Map.entry("webm", "video/webm"), Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("ts", "video/mp2t"), Map.entry("mp3", "audio/mpeg"), Map.entry("aac", "audio/aac"),
            Map.entry("flac", "audio/flac"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
            Map.entry("m3u8", "application/vnd.apple.mpegurl"), Map.entry("mpd", "application/dash+xml"),
            Map.entry("vtt", "text/vtt"), Map.entry("srt", "application/x-subrip"));
    private static final String GENERIC = "application/octet-stream";

    private MediaTypes() {}

    static Optional<String> byExtension(String extension) {
        return Optional.ofNullable(BY_EXTENSION.get(extension.toLowerCase(Locale.ROOT)));
    }

    /** Whether the origin's type says nothing: absent, blank or the generic binary type. */
    static boolean isUninformative(Optional<String> contentType) {
        String bare = bare(contentType);
        return bare.isEmpty() || bare.equals(GENERIC);
    }

    /**
     * Whether the origin's type names audio, video or an image, so its body is not worth sniffing for a playlist
     * (playlist types such as {@code audio/mpegurl} are recognised before this is asked).
     */
    static boolean isMedia(Optional<String> contentType) {
        String bare = bare(contentType);
        return bare.startsWith("video/") || bare.startsWith("audio/") || bare.startsWith("image/");
    }

    /** The type without parameters, lower-case; empty when there is none. */
    private static String bare(Optional<String> contentType) {
        String type = contentType.orElse("");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
