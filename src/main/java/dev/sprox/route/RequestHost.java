package dev.sprox.route;

import dev.sprox.server.RequestHead;
import java.util.Locale;

/** The host a request is for, without port: from an absolute-form target, else from {@code Host}. */
public final class RequestHost {
    private RequestHost() {}

    public static String of(RequestHead head) {
        String raw = head.target().raw();
        int schemeEnd = raw.indexOf("://");
        String authority;
        if (raw.startsWith("/") || schemeEnd < 0) {
            authority = head.headers().first("Host").orElse("");
        } else {
            int start = schemeEnd + 3;
            int end = start;
            while (end < raw.length() && raw.charAt(end) != '/' && raw.charAt(end) != '?') {
                end++;
            }
            authority = raw.substring(start, end);
        }
        return hostOnly(authority).toLowerCase(Locale.ROOT);
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
