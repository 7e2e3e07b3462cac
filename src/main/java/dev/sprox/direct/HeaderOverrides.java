package dev.sprox.direct;

import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.security.UrlSigner;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code h_name=value} query parameters of a direct request: request headers the caller sets for the origin.
 * {@code _} in a name stands for {@code -} ({@code h_user_agent} is {@code user-agent}); a later parameter for the
 * same header wins. A name outside {@link DirectRequestHeaders#ALLOWED}, or a value that could split or smuggle a
 * header, refuses the whole request (400, naming the header) rather than being dropped quietly.
 *
 * @param values lower-case header name to value, sorted by name, so the same overrides always write the same URL
 */
public record HeaderOverrides(SortedMap<String, String> values) {
    public static final HeaderOverrides NONE = new HeaderOverrides(new TreeMap<>());
    static final String PREFIX = "h_";

    public HeaderOverrides {
        values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    static HeaderOverrides parse(List<QueryParameters.Parameter> query) {
        var values = new TreeMap<String, String>();
        for (QueryParameters.Parameter parameter : query) {
            if (!parameter.name().startsWith(PREFIX)) {
                continue;
            }
            String name = parameter.name().substring(PREFIX.length()).replace('_', '-').toLowerCase(Locale.ROOT);
            if (!isToken(name)) {
                throw refused("header override \"" + printable(name) + "\" is not a header name");
            }
            if (!DirectRequestHeaders.allows(name)) {
                throw refused("header override \"" + name + "\" is not allowed");
            }
            String value = parameter.value().strip();
            if (!isFieldValue(value)) {
                throw refused("header override \"" + name + "\" has an invalid value");
            }
            values.put(name, value);
        }
        return values.isEmpty() ? NONE : new HeaderOverrides(values);
    }

    /** As a signature covers them. */
    List<UrlSigner.HeaderOverride> signed() {
        return values.entrySet().stream().map(e -> new UrlSigner.HeaderOverride(e.getKey(), e.getValue())).toList();
    }

    boolean overrides(String headerName) {
        return values.containsKey(headerName.toLowerCase(Locale.ROOT));
    }

    /** RFC 9110 §5.6.2 token. */
    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 9110 §5.5: visible ASCII, spaces and tabs. No CR, LF or NUL, which would end the header or the head,
     * and no other controls or characters beyond ASCII, which origins and the HTTP client treat differently.
     */
    private static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || (c >= 0x20 && c < 0x7F))) {
                return false;
            }
        }
        return true;
    }

    /** A refused name, safe to echo: what is not visible ASCII becomes '?'. */
    private static String printable(String name) {
        var out = new StringBuilder(Math.min(name.length(), 64));
        name.codePoints().limit(64).forEach(c -> out.append(c > 0x20 && c < 0x7F && c != '"' ? (char) c : '?'));
        return out.toString();
    }

    private static RequestRejected refused(String detail) {
        return new RequestRejected(RequestError.BAD_PARAMETER, detail);
    }
}
