package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** An HTTP/2 header list becomes the same request head HTTP/1.1 would have built (RFC 9113 §8.3, §8.2.3). */
class RequestFieldsTest {

    private static List<HeaderField> request(HeaderField... extra) {
        var fields = new java.util.ArrayList<>(List.of(new HeaderField(":method", "GET"),
                new HeaderField(":scheme", "https"), new HeaderField(":path", "/live/a.m3u8?x=1"),
                new HeaderField(":authority", "media.example.com")));
        fields.addAll(List.of(extra));
        return fields;
    }

    @Test
    void authorityBecomesTheHostHeaderFirst() throws Http2Exception {
        RequestHead head = RequestFields.request(1, request(new HeaderField("accept", "*/*")), 100).head();
        assertEquals(List.of("GET", "/live/a.m3u8", "x=1", RequestFields.VERSION),
                List.of(head.method(), head.target().path(), head.target().rawQuery(), head.version()));
        assertEquals("media.example.com", head.headers().first("Host").orElseThrow());
        assertEquals("Host", head.headers().fields().getFirst().name());
    }

    @Test
    void cookieFieldsAreJoinedIntoOne() throws Http2Exception {
        RequestHead head = RequestFields.request(1, request(new HeaderField("cookie", "a=1"),
                new HeaderField("accept", "*/*"), new HeaderField("cookie", "b=2")), 100).head();
        assertEquals(List.of("a=1; b=2"), head.headers().all("cookie"));
    }

    @Test
    void hostDifferingFromAuthorityIsMalformed() {
        var e = assertThrows(Http2Exception.class, () -> RequestFields.request(3,
                request(new HeaderField("host", "other.example.com")), 100));
        assertEquals(List.of(ErrorCode.PROTOCOL_ERROR, 3), List.of(e.code(), e.streamId()));
    }

    @Test
    void hostAloneStandsInForAMissingAuthority() throws Http2Exception {
        var fields = request(new HeaderField("host", "h.example.com"));
        fields.removeIf(f -> f.name().equals(":authority"));
        assertEquals("h.example.com", RequestFields.request(1, fields, 100).head().headers().first("host").orElseThrow());
    }

    @Test
    void contentLengthIsReadAndDuplicatesMustAgree() throws Http2Exception {
        assertEquals(OptionalLong.of(12), RequestFields.request(1, request(new HeaderField("content-length", "12"),
                new HeaderField("content-length", "12")), 100).contentLength());
        assertThrows(Http2Exception.class, () -> RequestFields.request(1, request(
                new HeaderField("content-length", "12"), new HeaderField("content-length", "13")), 100));
    }

    @Test
    void tooManyFieldsAre431AsOnHttp11() {
        var rejected = assertThrows(RequestRejected.class, () -> RequestFields.request(1, request(
                new HeaderField("a", "1"), new HeaderField("b", "2"), new HeaderField("c", "3")), 2));
        assertEquals(RequestError.HEADERS_TOO_LARGE, rejected.error());
    }

    @Test
    void connectIsNotServed() {
        var fields = List.of(new HeaderField(":method", "CONNECT"), new HeaderField(":authority", "x:443"));
        assertEquals(RequestError.METHOD_NOT_ALLOWED,
                assertThrows(RequestRejected.class, () -> RequestFields.request(1, fields, 100)).error());
    }
}
