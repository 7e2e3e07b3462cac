package dev.sprox.upstream;

import dev.sprox.http.ContentRange;
import dev.sprox.http.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
 * @param range   the bytes of the representation this body carries
 */
record Resumption(Exchange exchange, URI uri, Headers headers, String etag, ContentRange range,
                  UpstreamEvents events) {
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
        Optional<ContentRange> range = switch (response.statusCode()) {
            case 200 -> Headers.listsToken(answer.allValues("Accept-Ranges"), "bytes")
                    ? Optional.of(new ContentRange(0, length - 1, OptionalLong.of(length))) : Optional.empty();
            case 206 -> answer.firstValue("Content-Range").flatMap(ContentRange::parse)
                    .filter(carried -> carried.length() == length);
            default -> Optional.empty();
        };
        return range.map(carried -> new Resumption(exchange, uri, sent, etag.get(), carried, events));
    }

    /** The origin was let go. */
    void released() {
        events.released();
    }

    /** Whether {@code delivered} bytes are the whole body: nothing is left to ask for. */
    boolean isDelivered(long delivered) {
        boolean whole = range.first() + delivered > range.last();
        if (whole) {
            events.resumed(true);
        }
        return whole;
    }

    /** The body from {@code delivered} bytes into this one on, or {@link NotResumable}. */
    PacedBody resume(long delivered) throws IOException {
        var rest = new ContentRange(range.first() + delivered, range.last(), range.total());
        var builder = headers.toBuilder();
        CONDITIONS.forEach(builder::remove);
        Headers conditional = builder.set("Range", "bytes=" + rest.first() + "-" + rest.last()).set("If-Range", etag)
                .build();
        HttpResponse<PacedBody> response;
        try {
            response = exchange.send(uri, conditional);
        } catch (UpstreamFailure failure) {
            events.resumed(false);
            throw new NotResumable("asking the origin for the rest of the body failed: " + failure.getMessage(),
                    failure);
        }
        String answered = response.headers().firstValue("Content-Range").orElse("").strip();
        String tag = response.headers().firstValue("ETag").orElse("").strip();
        if (response.statusCode() == 206 && ContentRange.parse(answered).equals(Optional.of(rest))
                && tag.equals(etag)) {
            events.resumed(true);
            return response.body();
        }
        events.resumed(false);
        response.body().close();
        throw new NotResumable("the origin no longer has the body begun (status " + response.statusCode()
                + ", Content-Range \"" + answered + "\" where \"" + rest + "\" was asked)", null);
    }
}
