package dev.sprox.pipeline;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The request id: the caller's {@code X-Request-Id} when it is short and safe to log, else a fresh one. */
final class RequestId {
    static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 64;

    private RequestId() {}

    static String from(String offered) {
        return offered != null && isSafe(offered) ? offered : generate();
    }

    static String generate() {
        var random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }

    private static boolean isSafe(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
