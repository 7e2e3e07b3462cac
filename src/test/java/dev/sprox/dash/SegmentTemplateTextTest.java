package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SegmentTemplateTextTest {

    @Test
    void expandsEveryIdentifierWithWidths() {
        assertEquals("v1/2500000/seg-00042-t=0000000090000.m4s$",
                SegmentTemplateText.expand("$RepresentationID$/$Bandwidth$/seg-$Number%05d$-t=$Time%013d$.m4s$$",
                        "v1", 2_500_000, 42, 90000));
    }

    @Test
    void keepsUnknownIdentifiersAsText() {
        assertEquals("a$Foo$7.m4s", SegmentTemplateText.expand("a$Foo$7.m4s", "r", 1, 7, 0));
    }
}
