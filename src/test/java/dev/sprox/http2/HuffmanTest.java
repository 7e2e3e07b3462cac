package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HuffmanTest {

    /** Rows of RFC 7541 Appendix B, as printed there: symbol, code aligned to the least significant bit, length. */
    @ParameterizedTest
    @CsvSource({
        "0, 1ff8, 13", "1, 7fffd8, 23", "10, 3ffffffc, 30", "32, 14, 6", "48, 0, 5", "58, 5c, 7", "92, 7fff0, 19",
        "123, 7ffe, 15", "127, ffffffc, 28", "128, fffe6, 20", "153, 1fffdc, 21", "195, 7fff1, 19", "199, 1ffffec, 25",
        "203, 7ffffde, 27", "220, ffffffd, 28", "225, fffff3, 24", "254, 7fffff0, 27", "255, 3ffffee, 26", "256, 3fffffff, 30",
    })
    void codesMatchTheAppendix(int symbol, String code, int length) {
        assertEquals(Integer.parseInt(code, 16), Huffman.code(symbol));
        assertEquals(length, Huffman.length(symbol));
    }

    @Test
    void everyOctetStringSurvivesARoundTrip() throws HpackException {
        var random = new Random(7541);
        for (int round = 0; round < 2000; round++) {
            var text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.append((char) random.nextInt(256));
            }
            var out = new BlockWriter(8);
            Huffman.encode(text.toString(), out);
            byte[] encoded = out.toByteArray();
            assertEquals(Huffman.encodedLength(text.toString()), encoded.length);
            assertEquals(text.toString(), Huffman.decode(encoded, 0, encoded.length));
        }
    }

    @Test
    void refusesPaddingOfEightOrMoreBits() throws HpackException {
        // "a" is 00011 (5 bits) + 3 bits of padding; one more all-ones octet makes 11 bits of padding.
        assertEquals("a", decode("1f"));
        assertThrows(HpackException.class, () -> decode("1fff"));
    }

    @Test
    void refusesPaddingThatIsNotTheStartOfEos() {
        assertThrows(HpackException.class, () -> decode("18"));
    }

    @Test
    void refusesEosInsideTheString() {
        assertThrows(HpackException.class, () -> decode("ffffffff"));
    }

    private static String decode(String hex) throws HpackException {
        byte[] bytes = HexFormat.of().parseHex(hex);
        return Huffman.decode(bytes, 0, bytes.length);
    }
}
