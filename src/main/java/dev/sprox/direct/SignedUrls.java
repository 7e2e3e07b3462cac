package dev.sprox.direct;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Signed URLs minted for integrators by {@code sprox sign-url} and {@code GET /admin/sign-url}: a backend
 * that holds the API password hands players a URL that opens exactly one destination, with exactly those
 * header overrides, until it expires. The destination and overrides are read by the same rules as the
 * direct endpoints' own, so what is minted is what will be verified; the URL itself comes from
 * {@link DirectUrls}.
 */
public final class SignedUrls {
    private static final JsonFactory JSON = new JsonFactory();
    /** As long as the configuration allows {@code signed_url_ttl_s} to be. */
    public static final Duration MAX_TTL = Duration.ofDays(366);

    private SignedUrls() {}

    /**
     * Which endpoint the URL names: {@code stream}, {@code manifest} (HLS), {@code mpd} (the rewritten MPD) or
     * {@code mpd_hls} (an MPD as HLS); {@link #FOR_DESTINATION} picks by the destination's extension.
     */
    public enum Endpoint {
        STREAM, MANIFEST, MPD, MPD_HLS, FOR_DESTINATION;

        public static final String NAMES = "stream, manifest, mpd or mpd_hls";

        public static Optional<Endpoint> named(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "stream" -> Optional.of(STREAM);
                case "manifest" -> Optional.of(MANIFEST);
                case "mpd" -> Optional.of(MPD);
                case "mpd_hls" -> Optional.of(MPD_HLS);
                default -> Optional.empty();
            };
        }
    }

    /** A minted URL and the second it stops working. */
    public record Minted(String url, long expiresEpochSecond) {
        /** The answer of the admin endpoints that mint: {@code url}, {@code expires} and {@code expires_at}. */
        public String json() {
            var text = new StringWriter();
            try (JsonGenerator json = JSON.createGenerator(text)) {
                json.writeStartObject();
                json.writeStringField("url", url);
                json.writeNumberField("expires", expiresEpochSecond);
                json.writeStringField("expires_at", Instant.ofEpochSecond(expiresEpochSecond).toString());
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringWriter never fails
            }
            return text + "\n";
        }
    }

    /** {@code ttl_s} of the admin endpoints that mint: whole seconds from 1 to {@link #MAX_TTL}; else a 400. */
    public static Duration ttl(String text) {
        long seconds;
        try {
            seconds = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "ttl_s must be a whole number of seconds");
        }
        if (seconds < 1 || seconds > MAX_TTL.toSeconds()) {
            throw new RequestRejected(RequestError.BAD_PARAMETER, "ttl_s must be between 1 and " + MAX_TTL.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * @param destination the destination URL, as {@code d} would carry it decoded
     * @param headers     {@code h_} overrides as {@code name=value} pairs, names without the prefix
     * @param base        prepended to the path, e.g. {@code https://sprox.example}; empty for a path only
     * @throws RequestRejected a bad destination, override or base, with a short reason
     */
    public static Minted mint(String destination, List<QueryParameters.Parameter> headers, Endpoint endpoint,
                              Decryption decryption, UrlSigning signing, Optional<String> base) {
        URI target = Destination.parse(destination.strip());
        HeaderOverrides overrides = HeaderOverrides.parse(headers.stream()
                .map(h -> new QueryParameters.Parameter(HeaderOverrides.PREFIX + h.name(), h.value())).toList());
        return mint(target, overrides, endpoint, decryption, signing, base);
    }

    /** For a request whose query carries {@code d} and {@code h_} overrides as the direct endpoints read them. */
    static Minted mint(String rawQuery, QueryParameters query, Endpoint endpoint, Decryption decryption,
                       UrlSigning signing, Optional<String> base) {
        return mint(Destination.of(rawQuery, query.all()), HeaderOverrides.parse(query.all()), endpoint, decryption,
                signing, base);
    }

    /**
     * @param decryption {@link Decryption#NONE}, or a playlist that decrypts: only an HLS playlist (the
     *                   {@code manifest} and {@code mpd_hls} endpoints) can point its media at decrypting URLs
     */
    private static Minted mint(URI destination, HeaderOverrides overrides, Endpoint endpoint, Decryption decryption,
                               UrlSigning signing, Optional<String> base) {
        Endpoint chosen = endpoint != Endpoint.FOR_DESTINATION ? endpoint
                : isPlaylist(destination) ? Endpoint.MANIFEST
                : isMpd(destination) ? (decryption.requested() ? Endpoint.MPD_HLS : Endpoint.MPD) : Endpoint.STREAM;
        if (decryption.requested() && chosen != Endpoint.MANIFEST && chosen != Endpoint.MPD_HLS) {
            throw new RequestRejected(RequestError.BAD_PARAMETER,
                    "decrypt goes with the manifest and mpd_hls endpoints, which write HLS");
        }
        String path = switch (chosen) {
            case MANIFEST -> DirectUrls.manifest(destination, overrides, decryption, signing);
            case MPD -> DirectUrls.mpd(destination, overrides, signing);
            case MPD_HLS -> DirectUrls.mpdMultivariant(destination, overrides, decryption, signing);
            case STREAM, FOR_DESTINATION -> DirectUrls.stream(destination, overrides, signing);
        };
        String prefix = base.map(SignedUrls::checkedBase).orElse("");
        return new Minted(prefix + path, signing.expiresEpochSecond());
    }

    private static boolean isMpd(URI destination) {
        return destination.getRawPath().toLowerCase(Locale.ROOT).endsWith(".mpd");
    }

    private static boolean isPlaylist(URI destination) {
        String path = destination.getRawPath().toLowerCase(Locale.ROOT);
        return path.endsWith(".m3u8") || path.endsWith(".m3u");
    }

    /** Scheme, host, optional port and path prefix; no query or fragment, which the path would land inside. */
    private static String checkedBase(String base) {
        try {
            URI uri = new URI(base.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                String text = uri.toString();
                return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            }
        } catch (URISyntaxException e) {
            // refused below, with the rest
        }
        throw new RequestRejected(RequestError.BAD_PARAMETER,
                "base must be an absolute http(s) URL without query or fragment, e.g. https://sprox.example");
    }
}
