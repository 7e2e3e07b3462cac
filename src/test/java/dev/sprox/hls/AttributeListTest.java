package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeListTest {

    private static List<String> pairs(String list) throws PlaylistException {
        return AttributeList.parse(list, 0, list.length(), 1).stream()
                .map(a -> a.name(list) + "=" + (a.quoted() ? "\"" + a.value(list) + "\"" : a.value(list)))
                .toList();
    }

    @Test
    void quotedStringMayHoldCommas() throws PlaylistException {
        assertEquals(List.of("CODECS=\"avc1.4d401e,mp4a.40.2\"", "URI=\"a,b.m3u8\""),
                pairs("CODECS=\"avc1.4d401e,mp4a.40.2\",URI=\"a,b.m3u8\""));
    }

    @Test
    void toleratesBlanksAroundNamesAndEquals() throws PlaylistException {
        assertEquals(List.of("METHOD=AES-128", "URI=\"k.key\"", "IV=0x1"), pairs(" METHOD=AES-128 , URI = \"k.key\" ,IV=0x1 "));
    }

    @Test
    void skipsItemsWithoutValue() throws PlaylistException {
        assertEquals(List.of("A=1", "B=\"x\""), pairs("A=1,,GAP,B=\"x\","));
    }

    @Test
    void refusesUnterminatedQuotedString() {
        PlaylistException e = assertThrows(PlaylistException.class, () -> AttributeList.parse("URI=\"a.ts,B=1", 0, 12, 7));
        assertEquals(7, e.line());
        assertEquals("unterminated quoted string in attribute URI", e.reason());
    }

    @Test
    void quotedStringEndsAtTheGivenEnd() {
        String line = "URI=\"a.ts\n\"";
        assertThrows(PlaylistException.class, () -> AttributeList.parse(line, 0, line.indexOf('\n'), 1));
    }
}
