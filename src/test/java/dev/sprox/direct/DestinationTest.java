package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DestinationTest {

    private static URI of(String rawQuery) {
        return Destination.of(rawQuery, QueryText.decode(rawQuery));
    }

    private static String refusal(String rawQuery) {
        var refused = assertThrows(RequestRejected.class, () -> of(rawQuery));
        assertEquals(RequestError.BAD_PARAMETER, refused.error());
        return refused.detail();
    }

    @Test
    void plainDestinationIsTakenAsWrittenEscapesIncluded() {
        assertEquals(URI.create("https://cdn.example/a%20b/c+d.ts"), of("d=https://cdn.example/a%20b/c+d.ts"));
    }

    @Test
    void encodedDestinationIsDecodedOnceAndKeepsItsQuery() {
        assertEquals(URI.create("https://cdn.example/v/a.m3u8?token=x%2By&t=1"),
                of("h_referer=r&d=https%3A%2F%2Fcdn.example%2Fv%2Fa.m3u8%3Ftoken%3Dx%252By%26t%3D1"));
    }

    @Test
    void fragmentIsDroppedAndSchemeLowerCased() {
        assertEquals(URI.create("http://cdn.example/a.mp4"), of("d=HTTP://cdn.example/a.mp4#t=10"));
    }

    @Test
    void emptyPathBecomesSlash() {
        assertEquals(URI.create("https://cdn.example/"), of("d=https://cdn.example"));
    }

    @Test
    void missingOrBlankDestinationIsRefused() {
        assertEquals("query parameter d (the destination URL) is required", refusal("h_referer=x"));
        assertEquals("query parameter d (the destination URL) is required", refusal("d="));
    }

    @Test
    void relativeOrNonHttpDestinationsAreRefused() {
        assertEquals("d must be an absolute http or https URL", refusal("d=%2Fetc%2Fpasswd"));
        assertEquals("d must be an absolute http or https URL", refusal("d=file%3A%2F%2F%2Fetc%2Fpasswd"));
        assertEquals("d must be an absolute http or https URL", refusal("d=ftp%3A%2F%2Fcdn.example%2Fa"));
        assertEquals("d must be an absolute http or https URL", refusal("d=https%3Acdn.example"));
    }

    @Test
    void unparsableDestinationIsRefused() {
        assertEquals("d is not a valid URL", refusal("d=https%3A%2F%2Fcdn.example%2Fa%20b%7C"));
    }

    @Test
    void userInformationIsRefused() {
        assertEquals("d must not carry user information", refusal("d=https%3A%2F%2Fuser%3Apw%40cdn.example%2F"));
    }
}
