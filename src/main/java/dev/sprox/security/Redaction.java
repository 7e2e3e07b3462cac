package dev.sprox.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** The one place that decides what secrets look like in logs: their values never leave the process. */
public final class Redaction {
    public static final String MASK = "REDACTED";
    private static final Set<String> SENSITIVE_QUERY_KEYS = Set.of("api_password", "token", "sig", "key", "kid",
            "password");

    private Redaction() {}

    /** A request target with the values of sensitive query parameters replaced by {@link #MASK}. */
    public static String target(String rawTarget) {
        int question = rawTarget.indexOf('?');
        if (question < 0) {
            return rawTarget;
        }
        var redacted = new StringBuilder(rawTarget.length()).append(rawTarget, 0, question + 1);
        String query = rawTarget.substring(question + 1);
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            String pair = query.substring(start, end);
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (equals >= 0 && isSensitiveKey(name)) {
                redacted.append(name).append('=').append(MASK);
            } else {
                redacted.append(pair);
            }
            if (end < query.length()) {
                redacted.append('&');
            }
            start = end + 1;
        }
        return redacted.toString();
    }

    /** Keys compare without case and after decoding, so {@code api%5Fpassword} is caught too; undecodable ones count. */
    static boolean isSensitiveKey(String rawName) {
        String name = rawName.toLowerCase(Locale.ROOT);
        if (name.indexOf('%') >= 0) {
            try {
                name = URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return true;
            }
        }
        return SENSITIVE_QUERY_KEYS.contains(name);
    }
}
