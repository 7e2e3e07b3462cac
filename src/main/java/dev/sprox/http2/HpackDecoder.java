package dev.sprox.http2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes header blocks of one connection (RFC 7541 §6), keeping the dynamic table the peer's encoder fills.
 * Bounds: the table never exceeds {@code maxTableSize} (our SETTINGS_HEADER_TABLE_SIZE); a string can be no longer
 * than the block holding it; and the decoded list is measured as it grows (name + value + 32 per field), so a
 * small block that references a large entry many times (an HPACK bomb) stops at {@code maxHeaderListSize}
 * instead of filling memory. Not thread-safe: a connection decodes its blocks in order on one thread.
 */
public final class HpackDecoder {

    private final DynamicTable table;
    private final int maxTableSize;
    private final int maxHeaderListSize;

    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        this.table = new DynamicTable(maxTableSize);
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /** The dynamic table's current size in octets (§4.1), for tests and metrics. */
    public int tableSize() {
        return table.size();
    }

    /**
     * The fields of one complete header block. A block whose fields add up to more than the list limit is still
     * decoded to its end, so the table stays in step with the peer, and is then refused as
     * {@link HpackException.Kind#LIST_TOO_LARGE}; any malformation is {@link HpackException.Kind#COMPRESSION}.
     */
    public List<HeaderField> decode(byte[] block) throws HpackException {
        var reader = new Reader(block);
        var fields = new ArrayList<HeaderField>();
        long listSize = 0;
        boolean fieldSeen = false;
        while (reader.hasMore()) {
            int first = reader.peek();
            HeaderField field;
            if ((first & 0x80) != 0) {                     // §6.1 indexed field
                field = entry(reader.integer(7));
            } else if ((first & 0xC0) == 0x40) {           // §6.2.1 literal, incremental indexing
                field = literal(reader, 6);
                table.add(field);
            } else if ((first & 0xE0) == 0x20) {           // §6.3 dynamic table size update
                if (fieldSeen) {
                    throw HpackException.compression("dynamic table size update after a header field");
                }
                int size = reader.integer(5);
                if (size > maxTableSize) {
                    throw HpackException.compression("dynamic table size update to " + size + " exceeds the limit of " + maxTableSize);
                }
                table.setMaxSize(size);
                continue;
            } else {                                       // §6.2.2 without indexing, §6.2.3 never indexed
                field = literal(reader, 4);
            }
            fieldSeen = true;
            listSize += field.size();
            if (listSize <= maxHeaderListSize) {
                fields.add(field);
            }
        }
        if (listSize > maxHeaderListSize) {
            throw new HpackException(HpackException.Kind.LIST_TOO_LARGE,
                    "header list of " + listSize + " octets exceeds the limit of " + maxHeaderListSize);
        }
        return fields;
    }

    private HeaderField literal(Reader reader, int prefixBits) throws HpackException {
        int nameIndex = reader.integer(prefixBits);
        String name = nameIndex == 0 ? reader.string() : entry(nameIndex).name();
        return new HeaderField(name, reader.string());
    }

    /** §2.3.3: static entries first, then the dynamic table; 0 and anything past the end are errors. */
    private HeaderField entry(int index) throws HpackException {
        if (index >= 1 && index <= StaticTable.size()) {
            return StaticTable.get(index);
        }
        int dynamic = index - StaticTable.size();
        if (index == 0 || dynamic > table.length()) {
            throw HpackException.compression("index " + index + " is not in the table");
        }
        return table.get(dynamic);
    }

    /** Reads a block's integers (§5.1) and strings (§5.2), refusing anything that runs past its end. */
    private static final class Reader {
        private final byte[] block;
        private int position;

        Reader(byte[] block) {
            this.block = block;
        }

        boolean hasMore() {
            return position < block.length;
        }

        int peek() {
            return block[position] & 0xFF;
        }

        /** A value past 2^31 - 1, or one spread over more octets than that needs, is an error, not a wrap. */
        int integer(int prefixBits) throws HpackException {
            int max = (1 << prefixBits) - 1;
            long value = block[position++] & max;
            if (value < max) {
                return (int) value;
            }
            for (int shift = 0; shift <= 28; shift += 7) {
                if (!hasMore()) {
                    throw HpackException.compression("integer runs past the end of the block");
                }
                int octet = block[position++] & 0xFF;
                value += (long) (octet & 0x7F) << shift;
                if ((octet & 0x80) == 0) {
                    if (value > Integer.MAX_VALUE) {
                        break;
                    }
                    return (int) value;
                }
            }
            throw HpackException.compression("integer overflows");
        }

        String string() throws HpackException {
            if (!hasMore()) {
                throw HpackException.compression("string expected at the end of the block");
            }
            boolean huffman = (peek() & 0x80) != 0;
            int length = integer(7);
            if (length > block.length - position) {
                throw HpackException.compression("string of " + length + " octets runs past the end of the block");
            }
            String text = huffman ? Huffman.decode(block, position, length)
                    : new String(block, position, length, StandardCharsets.ISO_8859_1);
            position += length;
            return text;
        }
    }
}
