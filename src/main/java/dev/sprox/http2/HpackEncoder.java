package dev.sprox.http2;

import java.util.List;
import java.util.Set;

/**
 * Encodes header blocks of one connection (RFC 7541 §6). Exact matches go out as indexes; other fields are added
 * to the dynamic table, except credentials, which are sent never-indexed (§7.1.3) so no intermediary stores them,
 * fields whose value is new in every message, and fields too large to be worth keeping. Strings are Huffman-coded
 * when that is no longer than plain.
 * Not thread-safe: a connection's single writer encodes its blocks in order.
 */
public final class HpackEncoder {

    private static final Set<String> NEVER_INDEXED = Set.of("authorization", "proxy-authorization", "cookie");
    /**
     * Sent without indexing (§6.2.2): a value unique to each message (sprox's request id on every answer) is never
     * sent twice, and indexing it would only evict the fields that do repeat, so they would be sent in full again.
     */
    private static final Set<String> UNIQUE_PER_MESSAGE = Set.of("x-request-id");

    private final DynamicTable table;
    private final boolean huffman;
    private final int ownLimit;
    private int pendingUpdate = -1;
    private int smallestPendingUpdate = -1;

    /**
     * @param maxTableSize the table size this encoder uses at most, whatever the peer allows (4096 is the initial
     *                     value both sides assume, §4.2)
     * @param huffman      whether strings may be Huffman-coded
     */
    public HpackEncoder(int maxTableSize, boolean huffman) {
        this.table = new DynamicTable(maxTableSize);
        this.huffman = huffman;
        this.ownLimit = maxTableSize;
    }

    /**
     * The peer's SETTINGS_HEADER_TABLE_SIZE changed: the next block starts with a size update (§4.2), signalling
     * the smallest size reached in between first so the peer evicts what it must.
     */
    public void peerTableSizeLimit(int peerLimit) {
        int size = Math.min(peerLimit, ownLimit);
        smallestPendingUpdate = smallestPendingUpdate < 0 ? size : Math.min(smallestPendingUpdate, size);
        pendingUpdate = size;
        table.setMaxSize(size);
    }

    public byte[] encode(List<HeaderField> fields) {
        var out = new BlockWriter(64 + fields.size() * 16);
        encode(fields, out);
        return out.toByteArray();
    }

    /** Appends the block of {@code fields} to {@code out}. */
    void encode(List<HeaderField> fields, BlockWriter out) {
        if (pendingUpdate >= 0) {
            if (smallestPendingUpdate < pendingUpdate) {
                integer(out, 0x20, 5, smallestPendingUpdate);
            }
            integer(out, 0x20, 5, pendingUpdate);
            pendingUpdate = -1;
            smallestPendingUpdate = -1;
        }
        for (HeaderField field : fields) {
            encode(field, out);
        }
    }

    private void encode(HeaderField field, BlockWriter out) {
        boolean neverIndexed = NEVER_INDEXED.contains(field.name());
        if (!neverIndexed) {
            int index = indexOf(field);
            if (index > 0) {
                integer(out, 0x80, 7, index);
                return;
            }
        }
        int nameIndex = nameIndexOf(field.name());
        if (neverIndexed) {
            integer(out, 0x10, 4, nameIndex);
        } else if (field.size() <= table.maxSize() * 3 / 4 && !UNIQUE_PER_MESSAGE.contains(field.name())) {
            integer(out, 0x40, 6, nameIndex);
            table.add(field);
        } else {
            integer(out, 0x00, 4, nameIndex);
        }
        if (nameIndex == 0) {
            string(out, field.name());
        }
        string(out, field.value());
    }

    private int indexOf(HeaderField field) {
        int index = StaticTable.indexOf(field);
        if (index > 0) {
            return index;
        }
        int dynamic = table.indexOf(field);
        return dynamic > 0 ? StaticTable.size() + dynamic : 0;
    }

    private int nameIndexOf(String name) {
        int index = StaticTable.indexOfName(name);
        if (index > 0) {
            return index;
        }
        int dynamic = table.indexOfName(name);
        return dynamic > 0 ? StaticTable.size() + dynamic : 0;
    }

    private void string(BlockWriter out, String text) {
        int huffmanLength = huffman ? Huffman.encodedLength(text) : Integer.MAX_VALUE;
        if (huffmanLength <= text.length()) {
            integer(out, 0x80, 7, huffmanLength);
            Huffman.encode(text, out);
        } else {
            integer(out, 0x00, 7, text.length());
            out.writeLatin1(text);
        }
    }

    /** §5.1: {@code value} in an N-bit prefix of the first octet, whose other bits are {@code flags}. */
    static void integer(BlockWriter out, int flags, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(flags | value);
            return;
        }
        out.write(flags | max);
        int rest = value - max;
        while (rest >= 0x80) {
            out.write((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
    }
}
