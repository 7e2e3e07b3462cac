package dev.sprox.http2;

import static dev.sprox.http2.HpackExamplesTest.field;
import static dev.sprox.http2.HpackExamplesTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Blocks a hostile or broken peer sends: each a COMPRESSION error, or a refused stream with the table in step. */
class HpackHostileInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "index 0                                   | 80",
        "index past the static table, empty dynamic | be",
        "literal name index past the table         | 7f00 0161",
        "string past the end of the block          | 0005 6162",
        "string length missing                     | 00",
        "integer past the end of the block         | ff",
        "integer beyond 2^31 - 1                   | ff ff ff ff ff 0f",
        "integer spread over too many octets       | ff 80 80 80 80 80 00",
        "table size update above our limit (4097)  | 3fe21f",
        "table size update after a field           | 82 20",
        "Huffman string holding EOS                | 0084 ffff ffff 0161",
        "Huffman padding of 8 bits                 | 0082 1fff 0161",
    })
    void malformedBlocksAreCompressionErrors(String what, String block) {
        var decoder = new HpackDecoder(4096, 65536);
        HpackException e = assertThrows(HpackException.class, () -> decoder.decode(hex(block)));
        assertEquals(HpackException.Kind.COMPRESSION, e.kind(), e.getMessage());
    }

    @Test
    void aBombReferencingOneLargeEntryStopsAtTheListLimitAndKeepsTheTableInStep() throws HpackException {
        var decoder = new HpackDecoder(4096, 16384);
        String big = "x".repeat(4000);
        var block = new BlockWriter(64);
        HpackEncoder.integer(block, 0x40, 6, 0);                  // literal with indexing, new name
        HpackEncoder.integer(block, 0x00, 7, 1);
        block.write('b');
        HpackEncoder.integer(block, 0x00, 7, big.length());
        block.writeLatin1(big);
        for (int i = 0; i < 100_000; i++) {
            block.write(0xBE);                                    // index 62: that entry again, 4 KB a byte
        }
        HpackException e = assertThrows(HpackException.class, () -> decoder.decode(block.toByteArray()));
        assertEquals(HpackException.Kind.LIST_TOO_LARGE, e.kind());
        assertEquals(List.of(field("b", big)), decoder.decode(hex("be")), "the next block still sees the entry");
    }

    @Test
    void sizeUpdatesAtTheStartAreObeyedAndEvict() throws HpackException {
        var decoder = new HpackDecoder(4096, 65536);
        decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
        assertEquals(List.of(field(":method", "GET")), decoder.decode(hex("20 3fe11f 82")));
        assertEquals(0, decoder.tableSize());
        assertThrows(HpackException.class, () -> decoder.decode(hex("be")), "the entry was evicted by the update to 0");
    }

    @Test
    void encoderSignalsTheSmallestSizeThenTheNewOneAfterThePeerChangesItsSetting() throws HpackException {
        var encoder = new HpackEncoder(4096, false);
        var decoder = new HpackDecoder(4096, 65536);
        decoder.decode(encoder.encode(List.of(field("custom-key", "custom-header"))));
        encoder.peerTableSizeLimit(0);
        encoder.peerTableSizeLimit(100);
        byte[] block = encoder.encode(List.of(field(":method", "GET")));
        assertEquals("203f4582", HexFormat.of().formatHex(block));
        assertEquals(List.of(field(":method", "GET")), decoder.decode(block));
        assertEquals(0, decoder.tableSize());
    }

    @Test
    void credentialsAreSentNeverIndexed() throws HpackException {
        var encoder = new HpackEncoder(4096, false);
        byte[] block = encoder.encode(List.of(field("authorization", "Bearer abc"), field("authorization", "Bearer abc")));
        assertEquals(0x10, block[0] & 0xF0, "never-indexed literal");
        // name index 23 in a 4-bit prefix (two octets), the value's length (one octet), the value: both times in full
        assertEquals(2 * (2 + 1 + "Bearer abc".length()), block.length, "never taken from the table");
        assertEquals(List.of(field("authorization", "Bearer abc"), field("authorization", "Bearer abc")),
                new HpackDecoder(4096, 65536).decode(block));
    }
}
