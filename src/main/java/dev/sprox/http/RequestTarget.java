package dev.sprox.http;

/**
 * The request-target split into path and query (RFC 9112 §3.2). The raw text is kept: nothing is decoded
 * here, so a proxied path reaches the origin exactly as the client wrote it, except for the characters below.
 *
 * <p>The grammar, one for the parser and for every URL built from a target: RFC 3986 ({@code pchar},
 * {@code /} and {@code ?}, and {@code %} only as {@code %HH}), plus {@code [ ] { } | ^ `}, which RFC 3986
 * leaves out but browsers (WHATWG URL), OkHttp and ffmpeg send unencoded in paths or queries. Those are
 * accepted here and percent-encoded in {@link #originForm()}, which is what origins decode them to anyway.
 * Refused (400): controls, space, bytes beyond ASCII, {@code " < > \}, a fragment, and a {@code %} not
 * followed by two hex digits, whose meaning would be each origin's guess.
 *
 * @param rawQuery the text after '?', or null when there is none
 */
public record RequestTarget(String raw, String path, String rawQuery) {
    private static final String TOLERATED = "[]{}|^`";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Parses origin-form, absolute-form and the asterisk-form of OPTIONS. */
    public static RequestTarget parse(String raw, String method) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\') {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "request target has an invalid character");
            }
        }
        if (raw.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw new RequestRejected(RequestError.MALFORMED_REQUEST, "'*' is only a target for OPTIONS");
            }
            return new RequestTarget(raw, "*", null);
        }
        String pathAndQuery = raw;
        if (!raw.startsWith("/")) {
            pathAndQuery = absoluteFormPath(raw);
        }
        int hash = pathAndQuery.indexOf('#');
        if (hash >= 0) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "request target must not carry a fragment");
        }
        if (!percentEncodingValid(pathAndQuery)) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "request target has a malformed %-escape");
        }
        int question = pathAndQuery.indexOf('?');
        return question < 0
                ? new RequestTarget(raw, pathAndQuery, null)
                : new RequestTarget(raw, pathAndQuery.substring(0, question), pathAndQuery.substring(question + 1));
    }

    /**
     * Path and query as RFC 3986 allows them: the tolerated characters percent-encoded, every other byte as
     * the client sent it. Appended to an origin's {@code scheme://authority/prefix}, it always makes a valid URI.
     */
    public String originForm() {
        return rawQuery == null ? encodeTolerated(path) : encodeTolerated(path) + "?" + encodeTolerated(rawQuery);
    }

    private static String encodeTolerated(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (TOLERATED.indexOf(c) >= 0) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean percentEncodingValid(String text) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
                    || Character.digit(text.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String absoluteFormPath(String raw) {
        String lower = raw.toLowerCase(java.util.Locale.ROOT);
        int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (schemeEnd < 0) {
            throw new RequestRejected(RequestError.MALFORMED_REQUEST, "request target must start with '/'");
        }
        int slash = raw.indexOf('/', schemeEnd);
        int question = raw.indexOf('?', schemeEnd);
        if (slash < 0 || (question >= 0 && question < slash)) {
            return question < 0 ? "/" : "/" + raw.substring(question);
        }
        return raw.substring(slash);
    }
}
