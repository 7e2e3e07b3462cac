package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DeliveryDirectivesTest {

    private static URI applied(String destination, String rawQuery) {
        return DeliveryDirectives.applied(URI.create(destination), QueryText.decode(rawQuery));
    }

    @Test
    void directivesThePlayerAddedGoToTheDestination() {
        assertEquals(URI.create("https://cdn.example/live/index.m3u8?_HLS_msn=42&_HLS_part=3"),
                applied("https://cdn.example/live/index.m3u8", "d=x&_HLS_msn=42&_HLS_part=3&h_referer=r"));
    }

    @Test
    void theDestinationsOwnQueryIsKeptAndItsOldDirectivesReplaced() {
        assertEquals(URI.create("https://cdn.example/live/index.m3u8?token=a%2Bb&_HLS_msn=43&_HLS_skip=YES"),
                applied("https://cdn.example/live/index.m3u8?_HLS_msn=42&token=a%2Bb",
                        "d=x&_HLS_msn=43&_HLS_skip=YES"));
    }

    @Test
    void withoutDirectivesTheDestinationIsUntouched() {
        assertEquals(URI.create("https://cdn.example/a.ts?_HLS_msn=1"),
                applied("https://cdn.example/a.ts?_HLS_msn=1", "d=x&h_referer=r"));
    }
}
