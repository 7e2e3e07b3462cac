package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C, example by example: the decoder reads each block, the encoder writes each one exactly. */
class HpackExamplesTest {

    @Test
    void c1IntegersInPrefixesOfFiveAndEightBits() {
        assertEquals("0a", integer(5, 10));
        assertEquals("1f9a0a", integer(5, 1337));
        assertEquals("2a", integer(8, 42));
    }

    @Test
    void c21LiteralWithIndexingEntersTheTable() throws HpackException {
        var decoder = new HpackDecoder(4096, 65536);
        assertEquals(List.of(field("custom-key", "custom-header")),
                decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")));
        assertEquals(55, decoder.tableSize());
    }

    @Test
    void c22LiteralWithoutIndexingLeavesTheTableEmpty() throws HpackException {
        var decoder = new HpackDecoder(4096, 65536);
        assertEquals(List.of(field(":path", "/sample/path")), decoder.decode(hex("040c 2f73 616d 706c 652f 7061 7468")));
        assertEquals(0, decoder.tableSize());
    }

    @Test
    void c23NeverIndexedLiteralLeavesTheTableEmpty() throws HpackException {
        var decoder = new HpackDecoder(4096, 65536);
        assertEquals(List.of(field("password", "secret")), decoder.decode(hex("1008 7061 7373 776f 7264 0673 6563 7265 74")));
        assertEquals(0, decoder.tableSize());
    }

    @Test
    void c24IndexedFieldFromTheStaticTable() throws HpackException {
        assertEquals(List.of(field(":method", "GET")), new HpackDecoder(4096, 65536).decode(hex("82")));
    }

    @Test
    void c3RequestsWithoutHuffman() throws HpackException {
        exchange(4096, false, REQUESTS, List.of(
                "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "8286 84be 5808 6e6f 2d63 6163 6865",
                "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"), List.of(57, 110, 164));
    }

    @Test
    void c4RequestsWithHuffman() throws HpackException {
        exchange(4096, true, REQUESTS, List.of(
                "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                "8286 84be 5886 a8eb 1064 9cbf",
                "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"), List.of(57, 110, 164));
    }

    @Test
    void c5ResponsesWithoutHuffmanEvictingFromA256OctetTable() throws HpackException {
        exchange(256, false, RESPONSES, List.of(
                "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32"
                        + " 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "4803 3330 37c1 c0bf",
                "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970"
                        + " 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178"
                        + " 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"), List.of(222, 222, 215));
    }

    @Test
    void c6ResponsesWithHuffmanEvictingFromA256OctetTable() throws HpackException {
        exchange(256, true, RESPONSES, List.of(
                "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad"
                        + " 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                "4883 640e ffc1 c0bf",
                "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2"
                        + " e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"),
                List.of(222, 222, 215));
    }

    private static final List<List<HeaderField>> REQUESTS = List.of(
            List.of(field(":method", "GET"), field(":scheme", "http"), field(":path", "/"), field(":authority", "www.example.com")),
            List.of(field(":method", "GET"), field(":scheme", "http"), field(":path", "/"), field(":authority", "www.example.com"),
                    field("cache-control", "no-cache")),
            List.of(field(":method", "GET"), field(":scheme", "https"), field(":path", "/index.html"),
                    field(":authority", "www.example.com"), field("custom-key", "custom-value")));

    private static final List<List<HeaderField>> RESPONSES = List.of(
            List.of(field(":status", "302"), field("cache-control", "private"), field("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
                    field("location", "https://www.example.com")),
            List.of(field(":status", "307"), field("cache-control", "private"), field("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
                    field("location", "https://www.example.com")),
            List.of(field(":status", "200"), field("cache-control", "private"), field("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
                    field("location", "https://www.example.com"), field("content-encoding", "gzip"),
                    field("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")));

    /** One connection's blocks in order: each decodes to its fields and is what the encoder writes for them. */
    private static void exchange(int tableSize, boolean huffman, List<List<HeaderField>> messages, List<String> blocks,
                                 List<Integer> tableSizes) throws HpackException {
        var decoder = new HpackDecoder(tableSize, 65536);
        var encoder = new HpackEncoder(tableSize, huffman);
        var decodedSizes = new ArrayList<Integer>();
        for (int i = 0; i < messages.size(); i++) {
            assertEquals(blocks.get(i).replace(" ", ""), HexFormat.of().formatHex(encoder.encode(messages.get(i))), "block " + (i + 1));
            assertEquals(messages.get(i), decoder.decode(hex(blocks.get(i))), "block " + (i + 1));
            decodedSizes.add(decoder.tableSize());
        }
        assertEquals(tableSizes, decodedSizes);
    }

    static HeaderField field(String name, String value) {
        return new HeaderField(name, value);
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static String integer(int prefixBits, int value) {
        var out = new BlockWriter(8);
        HpackEncoder.integer(out, 0, prefixBits, value);
        return HexFormat.of().formatHex(out.toByteArray());
    }
}
