package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.http.Headers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectResponseHeadersTest {

    private static Map<String, List<String>> upstream(String... namesAndValues) {
        var headers = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return headers;
    }

    @Test
    void onlyAllowlistedHeadersPass() {
        Headers headers = DirectResponseHeaders.of(200, upstream("content-type", "video/mp4", "set-cookie", "a=b",
                "location", "http://10.0.0.1/", "etag", "\"v1\"", "server", "origin/1.0", "content-encoding", "gzip",
                "content-disposition", "attachment", "x-origin-secret", "s", "accept-ranges", "bytes"));
        assertEquals(Headers.of("content-type", "video/mp4", "etag", "\"v1\"", "content-encoding", "gzip",
                "accept-ranges", "bytes").fields(), headers.fields());
    }

    @Test
    void partialContentProvesRangeSupport() {
        Headers headers = DirectResponseHeaders.of(206, upstream("content-range", "bytes 0-9/100"));
        assertEquals(Headers.of("content-range", "bytes 0-9/100", "Accept-Ranges", "bytes").fields(),
                headers.fields());
    }

    @Test
    void noAcceptRangesIsInventedForAWholeAnswer() {
        assertEquals(List.of(), DirectResponseHeaders.of(200, upstream("content-length", "5")).all("Accept-Ranges"));
    }

    @Test
    void contentRangeOnlyOnRangeAnswers() {
        assertEquals(List.of(), DirectResponseHeaders.of(200, upstream("content-range", "bytes 0-9/100"))
                .all("Content-Range"));
        assertEquals(List.of("bytes */100"), DirectResponseHeaders.of(416, upstream("content-range", "bytes */100"))
                .all("Content-Range"));
    }
}
