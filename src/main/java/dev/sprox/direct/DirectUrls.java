package dev.sprox.direct;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every URL sprox writes that sends a client back through the direct endpoints, built in this one place: a
 * playlist to {@link #MANIFEST}, anything else to {@link #STREAM}, each carrying the destination, the same
 * header overrides and a signature of both ({@code exp}, {@code sig}) in place of the API password, which
 * never appears in a URL sprox writes. The URLs are absolute paths, so they reach whichever sprox host
 * served the playlist. A {@link #prefix} signs a base instead of one destination, for many URLs under it.
 *
 * <p>A stream URL names the destination's file ({@code /proxy/stream/seg-1.ts?d=...}) when that name is plain:
 * players that judge a segment by its extension see the right one, and the path carries no query of its own.
 */
public final class DirectUrls {
    public static final String STREAM = "/proxy/stream";
    public static final String MANIFEST = "/proxy/hls/manifest.m3u8";
    public static final String MPD = "/proxy/mpd/manifest.mpd";
    public static final String MPD_MULTIVARIANT = "/proxy/mpd/manifest.m3u8";
    public static final String MPD_PLAYLIST = "/proxy/mpd/playlist.m3u8";
    /** Which Representation of the MPD {@link #MPD_PLAYLIST} lists; not signed, it only chooses within the MPD. */
    public static final String REPRESENTATION = "rep";
    /** Which Period {@link #REPRESENTATION} is in, for an MPD of several; not signed either. */
    public static final String PERIOD = "period";
    /** {@code /proxy/base/<token>/<rest>}: a signed base the player completes; see {@link SignedPrefixes}. */
    public static final String PREFIX = "/proxy/base";
    /** An init segment or media segment fetched and decrypted ({@link Decryption}). */
    public static final String DECRYPT = "/proxy/decrypt";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private DirectUrls() {}

    /** Where a client fetches {@code destination} (a segment, key, init section, part or any other file). */
    public static String stream(URI destination, HeaderOverrides overrides, UrlSigning signing) {
        String path = destination.getRawPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        String target = PLAIN_NAME.matcher(name).matches() ? STREAM + "/" + name : STREAM;
        return target + "?" + query(destination, overrides, signing);
    }

    /** Where a client fetches the playlist at {@code destination}, rewritten. */
    public static String manifest(URI destination, HeaderOverrides overrides, UrlSigning signing) {
        return manifest(destination, overrides, Decryption.NONE, signing);
    }

    /** The same, its media decrypted when {@code decryption} says so. */
    static String manifest(URI destination, HeaderOverrides overrides, Decryption decryption, UrlSigning signing) {
        return MANIFEST + "?" + query(destination, overrides, decryption, signing);
    }

    /** Where a client fetches the init segment or segment {@code decryption} describes, decrypted. */
    static String decrypting(URI media, HeaderOverrides overrides, Decryption decryption, UrlSigning signing) {
        String path = media.getRawPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        String target = PLAIN_NAME.matcher(name).matches() ? DECRYPT + "/" + name : DECRYPT;
        return target + "?" + query(media, overrides, decryption, signing);
    }

    /** Where a client fetches the MPD at {@code destination}, rewritten (a DASH {@code Location}). */
    static String mpd(URI destination, HeaderOverrides overrides, UrlSigning signing) {
        return MPD + "?" + query(destination, overrides, signing);
    }

    /** Where an HLS player fetches the MPD at {@code mpd} as a multivariant playlist. */
    static String mpdMultivariant(URI mpd, HeaderOverrides overrides, Decryption decryption, UrlSigning signing) {
        return MPD_MULTIVARIANT + "?" + query(mpd, overrides, decryption, signing);
    }

    /**
     * Where an HLS player fetches one Representation of the MPD at {@code mpd} as a media playlist.
     *
     * @param period the Period the Representation is in, when the MPD has several
     */
    static String mpdPlaylist(URI mpd, Optional<String> period, String representation, HeaderOverrides overrides,
                              Decryption decryption, UrlSigning signing) {
        return MPD_PLAYLIST + "?" + query(mpd, overrides, decryption, signing)
                + period.map(p -> "&" + PERIOD + "=" + encode(p)).orElse("")
                + "&" + REPRESENTATION + "=" + encode(representation);
    }

    /**
     * Where a client fetches {@code base} followed by whatever it appends: {@code /proxy/base/<token>/}.
     *
     * @param base a canonical absolute http(s) URL ending in {@code /} (see {@link SignedPrefixes#isBase})
     */
    static String prefix(String base, HeaderOverrides overrides, UrlSigning signing) {
        return PREFIX + "/" + signing.prefixToken(base, overrides) + "/";
    }

    /** The signature covers {@code d} exactly as written here, which is exactly as it is read back. */
    private static String query(URI destination, HeaderOverrides overrides, UrlSigning signing) {
        return query(destination, overrides, Decryption.NONE, signing);
    }

    private static String query(URI destination, HeaderOverrides overrides, Decryption decryption,
                                UrlSigning signing) {
        String d = Destination.canonical(destination).toString();
        var query = new StringBuilder(query(d, overrides));
        for (var parameter : decryption.signed()) {
            query.append('&').append(parameter.name()).append('=').append(encode(parameter.value()));
        }
        return query.append('&').append(signing.query(d, overrides, decryption)).toString();
    }

    private static String query(String d, HeaderOverrides overrides) {
        var query = new StringBuilder(d.length() * 2).append(Destination.PARAMETER).append('=').append(encode(d));
        for (Map.Entry<String, String> override : overrides.values().entrySet()) {
            query.append('&').append(HeaderOverrides.PREFIX).append(override.getKey()).append('=')
                    .append(encode(override.getValue()));
        }
        return query.toString();
    }

    /** Everything but RFC 3986 unreserved characters percent-encoded, so the value reads back exactly. */
    static String encode(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        var out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
