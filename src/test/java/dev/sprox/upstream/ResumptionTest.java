package dev.sprox.upstream;

import static dev.sprox.upstream.Answers.URL;
import static dev.sprox.upstream.Answers.answer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http.ContentRange;
import dev.sprox.http.Headers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which origin bodies sprox may let go of while a client pauses, and what it accepts as their rest. */
class ResumptionTest {
    private static final UpstreamRequest GET = request("GET", Optional.empty());
    private static final Resumption.Exchange UNUSED = (uri, headers) -> {
        throw new AssertionError("no request expected");
    };

    @Test
    void aWholeBodyWithAStrongEtagAndByteRangesCanBeResumed() {
        Resumption resumption = Resumption.of(GET, answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes",
                "ETag", "\"v1\""), URL, Headers.EMPTY, UNUSED, UpstreamEvents.NONE).orElseThrow();

        assertEquals(new ContentRange(0, 999, OptionalLong.of(1000)), resumption.range());
    }

    @Test
    void aRangeAnsweredAloneIsResumedWithinThatRange() {
        Resumption resumption = Resumption.of(GET, answer(206, "Content-Length", "100", "Content-Range",
                "bytes 100-199/*", "ETag", "\"v1\""), URL, Headers.EMPTY, UNUSED, UpstreamEvents.NONE).orElseThrow();

        assertEquals(new ContentRange(100, 199, OptionalLong.empty()), resumption.range());
    }

    @Test
    void bodiesThatCannotBeAskedForAgainAreNotResumable() {
        List<HttpResponse<PacedBody>> answers = List.of(
                answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes", "ETag", "W/\"v1\""),
                answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes"),
                answer(200, "Content-Length", "1000", "Accept-Ranges", "none", "ETag", "\"v1\""),
                answer(200, "Content-Length", "1000", "ETag", "\"v1\""),
                answer(200, "Accept-Ranges", "bytes", "ETag", "\"v1\""),
                answer(206, "Content-Length", "50", "Content-Range", "bytes 100-199/1000", "ETag", "\"v1\""),
                answer(206, "Content-Length", "100", "ETag", "\"v1\""),
                answer(404, "Content-Length", "1000", "Accept-Ranges", "bytes", "ETag", "\"v1\""),
                answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes", "ETag", "\"v1\"",
                        "Content-Encoding", "gzip"));
        for (HttpResponse<PacedBody> answer : answers) {
            assertTrue(Resumption.of(GET, answer, URL, Headers.EMPTY, UNUSED, UpstreamEvents.NONE).isEmpty(),
                    answer.headers()::toString);
        }
        HttpResponse<PacedBody> resumable = answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes",
                "ETag", "\"v1\"");
        assertTrue(Resumption.of(request("HEAD", Optional.empty()), resumable, URL, Headers.EMPTY, UNUSED,
                UpstreamEvents.NONE).isEmpty());
        // A redirect's target: a signed CDN URL may have expired by the time the client reads on.
        assertTrue(Resumption.of(GET, resumable, URI.create("https://cdn.test/seg.ts?exp=1&sig=s"), Headers.EMPTY,
                UNUSED, UpstreamEvents.NONE).isEmpty());
        assertTrue(Resumption.of(request("GET", Optional.of(new ByteArrayInputStream(new byte[1]))), resumable, URL,
                Headers.EMPTY, UNUSED, UpstreamEvents.NONE).isEmpty());
    }

    @Test
    void theRestIsAskedForOnConditionOfTheSameRepresentationAndNothingElse() throws Exception {
        var sent = new ArrayList<Headers>();
        HttpResponse<PacedBody> rest = answer(206, "Content-Range", "bytes 400-999/1000", "ETag", "\"v1\"");
        Headers client = Headers.of("User-Agent", "player", "Range", "bytes=0-", "If-None-Match", "\"v0\"",
                "If-Modified-Since", "Tue, 01 Dec 2026 10:00:00 GMT");
        Resumption resumption = Resumption.of(GET, answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes",
                "ETag", "\"v1\""), URL, client, (uri, headers) -> {
                    assertEquals(URL, uri);
                    sent.add(headers);
                    return rest;
                }, UpstreamEvents.NONE).orElseThrow();

        assertSame(rest.body(), resumption.resume(400));
        Headers asked = sent.getFirst();
        assertEquals(Optional.of("bytes=400-999"), asked.first("Range"));
        assertEquals(Optional.of("\"v1\""), asked.first("If-Range"));
        assertEquals(Optional.of("player"), asked.first("User-Agent"));
        assertFalse(asked.has("If-None-Match") || asked.has("If-Modified-Since"), asked.fields()::toString);
        assertEquals(1, asked.all("Range").size());
    }

    @Test
    void anythingButExactlyTheRestOfThatRepresentationFailsTheResumption() {
        List<HttpResponse<PacedBody>> answers = List.of(
                answer(200, "Content-Length", "1000", "ETag", "\"v2\""),
                answer(206, "Content-Range", "bytes 400-999/1000", "ETag", "\"v2\""),
                answer(206, "Content-Range", "bytes 0-999/1000", "ETag", "\"v1\""),
                answer(206, "Content-Range", "bytes 400-999/1200", "ETag", "\"v1\""),
                answer(206, "Content-Range", "bytes 400-999/1000"),
                answer(416, "Content-Range", "bytes */1000", "ETag", "\"v1\""));
        for (HttpResponse<PacedBody> answer : answers) {
            Resumption resumption = Resumption.of(GET, answer(200, "Content-Length", "1000", "Accept-Ranges",
                    "bytes", "ETag", "\"v1\""), URL, Headers.EMPTY, (uri, headers) -> answer, UpstreamEvents.NONE)
                    .orElseThrow();
            assertThrows(Resumption.NotResumable.class, () -> resumption.resume(400), answer.headers()::toString);
        }
    }

    @Test
    void anOriginThatCannotBeReachedAgainFailsTheResumption() {
        Resumption resumption = Resumption.of(GET, answer(200, "Content-Length", "1000", "Accept-Ranges", "bytes",
                "ETag", "\"v1\""), URL, Headers.EMPTY, (uri, headers) -> {
                    throw new UpstreamFailure(UpstreamFailure.Kind.UNREACHABLE, "connection refused", null);
                }, UpstreamEvents.NONE).orElseThrow();

        var failure = assertThrows(Resumption.NotResumable.class, () -> resumption.resume(400));
        assertTrue(failure.getMessage().contains("connection refused"), failure.getMessage());
    }

    private static UpstreamRequest request(String method, Optional<InputStream> body) {
        return new UpstreamRequest(method, URL, Headers.EMPTY, body, -1);
    }
}
