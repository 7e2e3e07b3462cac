package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FilenameTest {

    private static String disposition(String requested) {
        return Filename.of(requested).orElseThrow().contentDisposition();
    }

    @Test
    void plainNameIsQuoted() {
        assertEquals("inline; filename=\"My Movie (2024).mp4\"", disposition("My Movie (2024).mp4"));
    }

    @Test
    void quotesBackslashesSeparatorsAndLineBreaksAreRemoved() {
        assertEquals("inline; filename=\"a.mp4X-Injected: 1\"", disposition("\"a\\/.mp4\r\nX-Injected: 1\""));
    }

    @Test
    void leadingDotsCannotNameAHiddenOrParentFile() {
        assertEquals("inline; filename=\"secret.mp4\"", disposition("../secret.mp4"));
    }

    @Test
    void nonAsciiNameGoesInFilenameStarWithAnAsciiStandIn() {
        assertEquals("inline; filename=\"Am_lie __.mkv\"; filename*=UTF-8''Am%C3%A9lie%20%E6%98%A0%E7%94%BB.mkv",
                disposition("Amélie 映画.mkv"));
    }

    @Test
    void nothingUsableLeftMeansNoFilename() {
        assertEquals(Optional.empty(), Filename.of("..\r\n\""));
    }

    @Test
    void longNamesAreCut() {
        assertEquals(Filename.MAX_CHARS, Filename.of("x".repeat(1000) + ".mp4").orElseThrow().name().length());
    }

    @Test
    void extensionIsLowerCased() {
        assertEquals("mkv", Filename.of("A.MKV").orElseThrow().extension());
        assertTrue(MediaTypes.byExtension("MKV").isPresent());
    }
}
