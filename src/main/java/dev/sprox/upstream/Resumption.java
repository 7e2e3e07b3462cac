package dev.sprox.upstream;

import dev.sprox.http.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to get the rest of an origin's body after its exchange was let go: the same request to the URL that answered,
 * for the bytes not yet delivered, on condition that the origin still has the representation begun ({@code If-Range}
 * with its strong ETag, RFC 9110 §13.1.5 and §14.2). Anything but a 206 for exactly those bytes of that
 * representation fails the resumption, so a client never gets two versions spliced together.
 *
 * @param exchange sends the request for the rest
 * @param events   told of each release and resumption
 * @param uri     the URL that answered
 * @param headers the headers sent to it
 * @param etag    the strong entity tag of the representation begun
 * @param first   the first byte of the representation this body carries
 * @param last    its last byte
 * @param total   the representation's length as Content-Range gives it, or {@code *}
 */
record Resumption(Exchange exchange, URI uri, Headers headers, String etag, long first, long last, String total,
                  UpstreamEvents events) {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");
    /** The client's conditions are answered already; the resumed request carries only If-Range. */
    private static final List<String> CONDITIONS =
            List.of("Range", "If-Range", "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since");

    /** One request to the origin, admitted like the first. */
    @FunctionalInterface
    interface Exchange {
        HttpResponse<PacedBody> send(URI uri, Headers headers) throws UpstreamFailure;
    }

    /** The origin answered, but not with the rest of what it began: the body cannot be completed. */
    static final class NotResumable extends IOException {
        NotResumable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * How to resume {@code response}'s body, if it can be: a GET without a body, answered by the URL asked (a
     * redirect's target may be a signed URL that expires while the client pauses) with a strong ETag, a length and
     * no content coding, either whole with {@code Accept-Ranges: bytes} or as one range.
     */
    static Optional<Resumption> of(UpstreamRequest request, HttpResponse<?> response, URI uri, Headers sent,
                                   Exchange exchange, UpstreamEvents events) {
        HttpHeaders answer = response.headers();
        Optional<String> etag = answer.firstValue("ETag").map(String::strip).filter(t -> t.startsWith("\""));
        long length = answer.firstValueAsLong("Content-Length").orElse(-1);
        boolean coded = answer.firstValue("Content-Encoding").map(String::strip)
                .filter(coding -> !coding.equalsIgnoreCase("identity")).isPresent();
        if (!request.method().equals("GET") || request.body().isPresent() || !uri.equals(request.uri())
                || etag.isEmpty() || length <= 0 || coded) {
            return Optional.empty();
        }
        if (response.statusCode() == 200 && acceptsByteRanges(answer)) {
            return Optional.of(new Resumption(exchange, uri, sent, etag.get(), 0, length - 1, Long.toString(length),
                    events));
        }
        if (response.statusCode() == 206) {
            Matcher range = CONTENT_RANGE.matcher(answer.firstValue("Content-Range").orElse("").strip());
            if (range.matches() && Long.parseLong(range.group(2)) - Long.parseLong(range.group(1)) + 1 == length) {
                return Optional.of(new Resumption(exchange, uri, sent, etag.get(), Long.parseLong(range.group(1)),
                        Long.parseLong(range.group(2)), range.group(3), events));
            }
        }
        return Optional.empty();
    }

    private static boolean acceptsByteRanges(HttpHeaders answer) {
        return answer.allValues("Accept-Ranges").stream()
                .flatMap(value -> List.of(value.split(",")).stream())
                .anyMatch(unit -> unit.strip().toLowerCase(Locale.ROOT).equals("bytes"));
    }

    /** The origin was let go. */
    void released() {
        events.released();
    }

    /** Whether {@code delivered} bytes are the whole body: nothing is left to ask for. */
    boolean isDelivered(long delivered) {
        boolean whole = first + delivered > last;
        if (whole) {
            events.resumed(true);
        }
        return whole;
    }

    /** The body from {@code delivered} bytes into this one on, or {@link NotResumable}. */
    PacedBody resume(long delivered) throws IOException {
        long from = first + delivered;
        var builder = headers.toBuilder();
        CONDITIONS.forEach(builder::remove);
        Headers conditional = builder.set("Range", "bytes=" + from + "-" + last).set("If-Range", etag).build();
        HttpResponse<PacedBody> response;
        try {
            response = exchange.send(uri, conditional);
        } catch (UpstreamFailure failure) {
            events.resumed(false);
            throw new NotResumable("asking the origin for the rest of the body failed: " + failure.getMessage(),
                    failure);
        }
        String expected = "bytes " + from + "-" + last + "/" + total;
        String range = response.headers().firstValue("Content-Range").orElse("").strip();
        String tag = response.headers().firstValue("ETag").orElse("").strip();
        if (response.statusCode() == 206 && range.equals(expected) && tag.equals(etag)) {
            events.resumed(true);
            return response.body();
        }
        events.resumed(false);
        response.body().close();
        throw new NotResumable("the origin no longer has the body begun (status " + response.statusCode()
                + ", Content-Range \"" + range + "\" where \"" + expected + "\" was asked)", null);
    }
}
