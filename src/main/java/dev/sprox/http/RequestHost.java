package dev.sprox.http;

import java.util.Locale;

/**
 * The host a request is for: from an absolute-form target, else from {@code Host} (RFC 9112 §3.2.2: with an
 * absolute-form target the {@code Host} field is ignored), so the route is chosen and the origin told
 * ({@code X-Forwarded-Host}) by the same authority.
 */
public final class RequestHost {
    private RequestHost() {}

    /** The host without port, lower case: what routes match on. */
    public static String of(RequestHead head) {
        return hostOnly(authority(head)).toLowerCase(Locale.ROOT);
    }

    /** The authority as the client wrote it, port included; empty when there is none. */
    public static String authority(RequestHead head) {
        String raw = head.target().raw();
        int schemeEnd = raw.indexOf("://");
        if (raw.startsWith("/") || schemeEnd < 0) {
            return head.headers().first("Host").orElse("");
        }
        int start = schemeEnd + 3;
        int end = start;
        while (end < raw.length() && raw.charAt(end) != '/' && raw.charAt(end) != '?') {
            end++;
        }
        return raw.substring(start, end);
    }

    static String hostOnly(String authority) {
        int at = authority.lastIndexOf('@');
        String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int colon = hostPort.indexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
}
