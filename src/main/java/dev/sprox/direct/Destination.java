package dev.sprox.direct;

import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code d} parameter: where a direct request goes. Integrators write it plain
 * ({@code d=https://cdn/a.ts}) or URL-encoded ({@code d=https%3A%2F%2Fcdn%2Fa.ts}); a plain one is taken as
 * written, so its own percent-escapes reach the origin unchanged, and an encoded one is decoded once. Only an
 * absolute http(s) URL with an authority is a destination; its fragment is dropped (RFC 9110 §7.1: never sent).
 * A numeric host {@link URI} cannot name ({@code 127.1}, {@code 0x7f.1}, {@code 2130706433}) is left to the
 * destination guard, which refuses it for the address it reaches (403), like every other spelling of an address.
 */
final class Destination {
    static final String PARAMETER = "d";
    /** Digits, hex and dots, with an optional port: how inet_aton spellings of an address look. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9A-Fa-fXx.]+(:[0-9]*)?");

    private Destination() {}

    /**
     * @param rawQuery the request's query as received
     * @param decoded  the same query, decoded
     */
    static URI of(String rawQuery, List<QueryParameters.Parameter> decoded) {
        String raw = rawValue(rawQuery);
        if (raw == null || raw.isBlank()) {
            throw refused("query parameter d (the destination URL) is required");
        }
        // A cache or filter in front may read the other one: two destinations are one too many, not a choice.
        if (decoded.stream().filter(p -> p.name().equals(PARAMETER)).count() > 1) {
            throw refused("query parameter d is given more than once");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        boolean plain = lower.startsWith("http://") || lower.startsWith("https://");
        String text = plain ? raw : decodedValue(decoded);
        return parse(text.strip());
    }

    static URI parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw refused("d is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null) {
            throw refused("d must be an absolute http or https URL");
        }
        if (uri.getHost() == null && !NUMERIC_HOST.matcher(uri.getRawAuthority()).matches()) {
            throw refused("d must name a valid host");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("d must not carry user information");
        }
        return canonical(uri);
    }

    /**
     * The one spelling of an absolute http(s) URL that sprox writes and reads back: scheme in lower case, an empty
     * path as {@code /}, no fragment; everything else exactly as written.
     */
    static URI canonical(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return URI.create(scheme + "://" + uri.getRawAuthority() + path + query);
    }

    private static String rawValue(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith(PARAMETER + "=")) {
                return pair.substring(PARAMETER.length() + 1);
            }
        }
        return null;
    }

    private static String decodedValue(List<QueryParameters.Parameter> decoded) {
        for (QueryParameters.Parameter parameter : decoded) {
            if (parameter.name().equals(PARAMETER)) {
                return parameter.value();
            }
        }
        throw refused("query parameter d (the destination URL) is required");
    }

    private static RequestRejected refused(String detail) {
        return new RequestRejected(RequestError.BAD_PARAMETER, detail);
    }
}
