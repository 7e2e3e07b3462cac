package dev.sprox.server;

/**
 * The request-target split into path and query (RFC 9112 §3.2). The raw text is kept: nothing is decoded
 * here, so a proxied path reaches the origin exactly as the client wrote it.
 *
 * @param rawQuery the text after '?', or null when there is none
 */
public record RequestTarget(String raw, String path, String rawQuery) {

    /** Parses origin-form, absolute-form and the asterisk-form of OPTIONS. */
    static RequestTarget parse(String raw, String method) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`'
                    || c == '{' || c == '|' || c == '}') {
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
        int question = pathAndQuery.indexOf('?');
        return question < 0
                ? new RequestTarget(raw, pathAndQuery, null)
                : new RequestTarget(raw, pathAndQuery.substring(0, question), pathAndQuery.substring(question + 1));
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
