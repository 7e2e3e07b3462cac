package dev.sprox.security;

import dev.sprox.http.Headers;
import dev.sprox.http.QueryParameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The direct-stream API password, checked in constant time.
 *
 * <p>A request may carry it in {@code X-Sprox-Api-Password}, in {@code Authorization: Bearer}, or in the
 * {@code api_password} query parameter (in that order of preference for clients: the query ends up in
 * referrers and player logs). No place overrides another: when a request carries it in several places,
 * or twice in one, the values must agree, else the request is {@link Check.Conflicting} — refused rather
 * than guessing which one the client meant. Surrounding whitespace is ignored and a blank value counts as
 * absent; an {@code Authorization} header with another scheme is not a password.
 */
public final class ApiPassword {
    public static final String HEADER = "X-Sprox-Api-Password";
    public static final String QUERY_PARAMETER = "api_password";
    private static final String BEARER = "bearer ";

    private final byte[] expected;

    public ApiPassword(Secret password) {
        String text = password.value().strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the API password must not be blank");
        }
        this.expected = digest(text);
    }

    /** What a request's credentials amount to. */
    public sealed interface Check {
        record Accepted() implements Check {}

        /** No password anywhere: 401, with a challenge. */
        record Missing() implements Check {}

        /** A password, not this one: 403. */
        record Wrong() implements Check {}

        /** Different values in different places: refused without comparing any of them. */
        record Conflicting() implements Check {}
    }

    public Check check(Headers headers, QueryParameters query) {
        Set<String> presented = presented(headers, query);
        if (presented.isEmpty()) {
            return new Check.Missing();
        }
        if (presented.size() > 1) {
            return new Check.Conflicting();
        }
        // Equal-length digests: the time taken says nothing about the password's length or a common prefix.
        return MessageDigest.isEqual(expected, digest(presented.iterator().next()))
                ? new Check.Accepted() : new Check.Wrong();
    }

    /** Whether the request offers a password at all, right or wrong. */
    public static boolean isPresented(Headers headers, QueryParameters query) {
        return !presented(headers, query).isEmpty();
    }

    /** The distinct non-blank values from every place a password may be. */
    private static Set<String> presented(Headers headers, QueryParameters query) {
        var values = new ArrayList<String>();
        values.addAll(headers.all(HEADER));
        for (String authorization : headers.all("Authorization")) {
            String trimmed = authorization.strip();
            if (trimmed.length() > BEARER.length()
                    && trimmed.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                values.add(trimmed.substring(BEARER.length()));
            }
        }
        for (QueryParameters.Parameter parameter : query.all()) {
            if (parameter.name().equals(QUERY_PARAMETER)) {
                values.add(parameter.value());
            }
        }
        var distinct = new LinkedHashSet<String>();
        for (String value : values) {
            String stripped = value.strip();
            if (!stripped.isEmpty()) {
                distinct.add(stripped);
            }
        }
        return distinct;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
