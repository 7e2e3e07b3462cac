package dev.sprox.security;

import dev.sprox.http.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one place that decides what secrets look like in logs and spans: request targets, destination URLs
 * and header dumps all pass through here.
 *
 * <p>sprox's own credentials — the {@code api_password} and {@code sig} query values, the
 * {@code X-Sprox-Api-Password} and {@code Authorization} headers (a Bearer token is the API password) —
 * are masked whatever the switches say, and a sealed key token ({@code keys}) shows only its id. The switches govern everyone else's secrets.
 *
 * @param redactSensitiveQueries {@code sensitive_logging.redact_sensitive_queries}: mask the values of
 *                               {@code token}, {@code key}, {@code kid} and {@code password} in queries
 * @param logSensitiveHeaders    {@code sensitive_logging.log_sensitive_headers}: show {@code Cookie},
 *                               {@code Set-Cookie} and {@code Proxy-Authorization} in header dumps
 * @param redactDestinationQuery {@code direct_stream.redact_destination_query}: mask every query value of a
 *                               direct destination ({@code d}), where upstream tokens usually travel
 */
public record Redaction(boolean redactSensitiveQueries, boolean logSensitiveHeaders,
                        boolean redactDestinationQuery) {
    public static final String MASK = "REDACTED";
    /** Every switch at its safe default. */
    public static final Redaction DEFAULT = new Redaction(true, false, true);

    private static final String DESTINATION_PARAMETER = "d";
    /** The decrypting mode's init segment: a destination like {@code d}. */
    private static final String INIT_PARAMETER = "init";
    /** A sealed token of content keys ({@link UrlSigner#seal}): only its id is shown. */
    private static final String SEALED_KEYS_PARAMETER = "keys";
    /** The direct endpoint whose first path segment is a signed-prefix token: a credential like {@code sig}. */
    private static final String SIGNED_PREFIX_PATH = "/proxy/base/";
    private static final Set<String> CREDENTIAL_QUERY_KEYS = Set.of("api_password", "sig");
    private static final Set<String> SENSITIVE_QUERY_KEYS = Set.of("token", "key", "kid", "password");
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "x-sprox-api-password");
    private static final Set<String> SENSITIVE_HEADERS = Set.of("proxy-authorization", "cookie", "set-cookie");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * The switches of one configuration.
     *
     * @param redactDestinationQuery whether a direct destination's own query is masked too
     */
    public static Redaction of(SensitiveLogging logging, boolean redactDestinationQuery) {
        return new Redaction(logging.redactSensitiveQueries(), logging.logSensitiveHeaders(), redactDestinationQuery);
    }

    /**
     * A request target with secret query values replaced by {@link #MASK}. Beside a {@code d}, parameters
     * the direct endpoints do not read are taken for the rest of {@code d}'s own query: an unencoded
     * {@code d=https://cdn/a?token=x&e=1} arrives split at its {@code &}. The token of a signed prefix
     * ({@code /proxy/base/<token>/...}) is a credential and always masked; what follows it is the destination's
     * own path and query, masked as a destination's.
     */
    public String target(String rawTarget) {
        if (rawTarget.startsWith(SIGNED_PREFIX_PATH)) {
            int tokenEnd = SIGNED_PREFIX_PATH.length();
            while (tokenEnd < rawTarget.length() && rawTarget.charAt(tokenEnd) != '/' && rawTarget.charAt(tokenEnd) != '?') {
                tokenEnd++;
            }
            return SIGNED_PREFIX_PATH + MASK + destination(rawTarget.substring(tokenEnd));
        }
        int question = rawTarget.indexOf('?');
        if (question < 0) {
            return rawTarget;
        }
        String query = rawTarget.substring(question + 1);
        boolean destinationTail = redactDestinationQuery && ("&" + query).contains("&" + DESTINATION_PARAMETER + "=");
        return rawTarget.substring(0, question + 1)
                + query(query, name -> destinationTail && !isDirectParameter(name));
    }

    /**
     * A destination URL (a {@code d} value, or the URL sprox fetches for it) with its query values masked
     * when {@link #redactDestinationQuery}, else only the secret ones.
     */
    public String destination(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return url;
        }
        int hash = url.indexOf('#', question);
        String query = hash < 0 ? url.substring(question + 1) : url.substring(question + 1, hash);
        return url.substring(0, question + 1) + query(query, name -> redactDestinationQuery)
                + (hash < 0 ? "" : url.substring(hash));
    }

    /**
     * Free text that may quote URLs, such as an exception's message: the query after each {@code ?}, up to the
     * next space, quote, angle bracket or {@code #}, redacted as in {@link #target}.
     */
    public String text(String text) {
        if (text == null || text.indexOf('?') < 0) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int from = 0;
        for (int question = text.indexOf('?'); question >= 0; question = text.indexOf('?', from)) {
            int end = question + 1;
            while (end < text.length() && !endsQuotedQuery(text.charAt(end))) {
                end++;
            }
            out.append(text, from, question + 1).append(query(text.substring(question + 1, end), name -> false));
            from = end;
        }
        return out.append(text, from, text.length()).toString();
    }

    /**
     * {@code failure} ready for a log line with its stack: the same trace, every message in its chain through
     * {@link #text}. The JDK puts whole URLs into messages ({@code URISyntaxException}, I/O errors).
     */
    public Throwable failure(Throwable failure) {
        return RedactedFailure.of(failure, this);
    }

    /** A header value as a dump may show it. */
    public String header(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean secret = CREDENTIAL_HEADERS.contains(lower) || SENSITIVE_HEADERS.contains(lower) && !logSensitiveHeaders;
        return secret ? MASK : value;
    }

    /** A header block as one {@code name: value} line per field, for a debug log. */
    public String headers(Headers headers) {
        var dump = new StringBuilder();
        for (Headers.Field field : headers.fields()) {
            if (!dump.isEmpty()) {
                dump.append('\n');
            }
            dump.append(field.name()).append(": ").append(header(field.name(), field.value()));
        }
        return dump.toString();
    }

    /** @param maskValue names whose (non-empty) values are masked beside the secret ones */
    private String query(String query, Predicate<String> maskValue) {
        var redacted = new StringBuilder(query.length());
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            String pair = query.substring(start, end);
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (equals < 0) {
                redacted.append(pair);
            } else if (name.equals(SEALED_KEYS_PARAMETER)) {
                redacted.append(name).append('=').append(UrlSigner.sealedId(pair.substring(equals + 1))).append('.')
                        .append(MASK);
            } else if (maskValue.test(name) && equals < pair.length() - 1 || isSecretKey(name)) {
                redacted.append(name).append('=').append(MASK);
            } else if (name.equals(DESTINATION_PARAMETER) || name.equals(INIT_PARAMETER)) {
                redacted.append(name).append('=').append(encodedDestination(pair.substring(equals + 1)));
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

    /**
     * A {@code d} value arrives percent-encoded or plain; its query is redacted in decoded form and written
     * back with {@code %}, {@code &}, {@code #}, {@code +} and controls escaped, so the log line still reads
     * as one parameter. One that does not decode is masked whole: it cannot be told apart.
     */
    private String encodedDestination(String raw) {
        String decoded;
        try {
            decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return MASK;
        }
        if (decoded.indexOf('?') < 0) {
            return raw;
        }
        return escape(destination(decoded));
    }

    private static boolean endsQuotedQuery(char c) {
        return c <= 0x20 || c == '"' || c == '<' || c == '>' || c == '#';
    }

    /**
     * {@code d}, {@code exp}, {@code rep}, {@code period}, {@code h_} overrides, LL-HLS delivery directives
     * ({@code _HLS_msn}...) and the decrypting mode's parameters.
     */
    private static boolean isDirectParameter(String name) {
        return name.equals(DESTINATION_PARAMETER) || name.equals("exp") || name.equals("rep") || name.equals("period")
                || name.startsWith("h_") || name.startsWith("_HLS_") || name.equals("decrypt")
                || name.equals(INIT_PARAMETER) || name.equals("range") || name.equals("init_range")
                || name.equals(SEALED_KEYS_PARAMETER);
    }

    private static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' || c == '&' || c == '#' || c == '+' || c <= 0x20 || c == 0x7f) {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Keys compare without case and after decoding, so {@code api%5Fpassword} is caught too. */
    private boolean isSecretKey(String rawName) {
        String name = rawName.toLowerCase(Locale.ROOT);
        if (name.indexOf('%') >= 0) {
            try {
                name = URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return true; // cannot be told apart from a secret one
            }
        }
        return CREDENTIAL_QUERY_KEYS.contains(name) || redactSensitiveQueries && SENSITIVE_QUERY_KEYS.contains(name);
    }
}
