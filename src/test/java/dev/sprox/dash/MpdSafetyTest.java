package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Hostile and broken XML is a typed error with a line, never an expansion, a file read or a fetch. */
class MpdSafetyTest {
    private static final URI URL = URI.create("https://origin.test/x/manifest.mpd");

    private static String file(String name) throws IOException {
        return Files.readString(DashCorpusTest.DIRECTORY.resolve("hostile").resolve(name), StandardCharsets.UTF_8);
    }

    private static MpdException refused(String mpd) {
        return assertThrows(MpdException.class,
                () -> MpdRewriter.rewrite(mpd, URL, DashCorpusTest.TO_SPROX, MpdLimits.defaults()));
    }

    @Test
    void refusesBillionLaughsAtTheDoctype() throws IOException {
        MpdException e = refused(file("billion-laughs.mpd"));
        assertEquals(2, e.line());
        assertTrue(e.reason().contains("DOCTYPE"), e.reason());
    }

    @Test
    void refusesExternalEntityWithoutReadingTheFile() throws IOException {
        MpdException e = refused(file("external-entity.mpd"));
        assertEquals(2, e.line());
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    @Test
    void refusesExternalDtdWithoutFetchingIt() throws IOException {
        assertEquals(2, refused(file("external-dtd.mpd")).line());
    }

    @Test
    void keepsXIncludeAsAnInertElement() throws Exception {
        String mpd = file("xinclude.mpd");
        String rewritten = MpdRewriter.rewrite(mpd, URL, DashCorpusTest.TO_SPROX, MpdLimits.defaults());
        assertEquals(mpd, rewritten);
    }

    @Test
    void namesTheLineOfMismatchedTags() throws IOException {
        MpdException e = refused(file("malformed.mpd"));
        assertEquals(6, e.line());
    }

    @Test
    void refusesUndefinedEntity() throws IOException {
        assertEquals(3, refused(file("undefined-entity.mpd")).line());
    }

    @Test
    void refusesDocumentThatIsNoMpd() throws IOException {
        MpdException e = refused(file("not-mpd.mpd"));
        assertEquals("the root element is not MPD", e.reason());
    }

    @Test
    void refusesHundredMegabyteAttributeBeforeParsing() {
        String mpd = "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" id=\"" + "a".repeat(100 * 1024 * 1024)
                + "\"><Period/></MPD>";
        MpdException e = refused(mpd);
        assertEquals(0, e.line());
        assertEquals("MPD larger than " + MpdLimits.DEFAULT_MAX_CHARS + " chars", e.reason());
    }

    @Test
    void refusesDeepNestingAtItsLine() {
        StringBuilder mpd = new StringBuilder("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">\n");
        for (int i = 0; i < 100_000; i++) {
            mpd.append("<a>\n");
        }
        MpdException e = refused(mpd.toString());
        assertEquals(33, e.line()); // the 33rd element opens on line 33
        assertTrue(e.reason().contains("nested deeper than 32"), e.reason());
    }

    @Test
    void refusesTruncatedDocument() {
        MpdException e = refused("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">\n<Period>\n<AdaptationSet");
        assertEquals(3, e.line());
    }

    @Test
    void refusesBadValuesWithTheirLine() {
        String mpd = """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6S">
                  <Period>
                    <AdaptationSet mimeType="video/mp4">
                      <SegmentTemplate timescale="one" duration="2" media="$Number$.m4s"/>
                      <Representation id="v" bandwidth="1"/>
                    </AdaptationSet>
                  </Period>
                </MPD>
                """;
        MpdException e = assertThrows(MpdException.class, () -> MpdReader.read(mpd, URL, MpdLimits.defaults()));
        assertEquals(4, e.line());
        assertEquals("not an integer: \"one\"", e.reason());
    }
}
