package dev.sprox.http2;

import java.util.Arrays;

/**
 * The static Huffman code of HPACK (RFC 7541 §5.2, Appendix B). The appendix's code is canonical, so the table
 * below holds only each symbol's code length, and the codes are assigned from it in (length, symbol) order;
 * {@code HuffmanTest} checks the result against codes printed in the appendix.
 */
final class Huffman {

    private static final int EOS = 256;

    /** Appendix B, code length in bits of symbols 0 to 256 (EOS). */
    private static final int[] LENGTHS = {
            13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,  // 0-15
            28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,  // 16-31
            6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,  // 32-47
            5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,  // 48-63
            13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  // 64-79
            7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,  // 80-95
            15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,  // 96-111
            6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,  // 112-127
            20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,  // 128-143
            24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,  // 144-159
            22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,  // 160-175
            21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,  // 176-191
            26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,  // 192-207
            19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,  // 208-223
            20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,  // 224-239
            26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,  // 240-255
            30,  // 256 (EOS)
    };

    private static final int[] CODES = new int[LENGTHS.length];
    /** The decoding tree: node 0 is the root; a child below 0 is the leaf of symbol {@code ~child}. */
    private static final int[][] CHILDREN = new int[LENGTHS.length - 1][2];

    static {
        Integer[] order = new Integer[LENGTHS.length];
        for (int symbol = 0; symbol < order.length; symbol++) {
            order[symbol] = symbol;
        }
        Arrays.sort(order, (a, b) -> LENGTHS[a] != LENGTHS[b] ? LENGTHS[a] - LENGTHS[b] : a - b);
        int code = 0;
        for (int k = 0; k < order.length; k++) {
            if (k > 0) {
                code = (code + 1) << (LENGTHS[order[k]] - LENGTHS[order[k - 1]]);
            }
            CODES[order[k]] = code;
        }
        int nodes = 1;
        for (int symbol = 0; symbol < LENGTHS.length; symbol++) {
            int node = 0;
            for (int bit = LENGTHS[symbol] - 1; bit > 0; bit--) {
                int branch = (CODES[symbol] >>> bit) & 1;
                if (CHILDREN[node][branch] == 0) {
                    CHILDREN[node][branch] = nodes++;
                }
                node = CHILDREN[node][branch];
            }
            CHILDREN[node][CODES[symbol] & 1] = ~symbol;
        }
    }

    private Huffman() {}

    static int code(int symbol) {
        return CODES[symbol];
    }

    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /** The octets {@code text} takes Huffman-coded, padding included; each char is one octet (ISO-8859-1). */
    static int encodedLength(String text) {
        long bits = 0;
        for (int i = 0; i < text.length(); i++) {
            bits += LENGTHS[text.charAt(i) & 0xFF];
        }
        return (int) ((bits + 7) / 8);
    }

    /** Writes {@code text} Huffman-coded, padded to an octet with the most significant bits of EOS (ones). */
    static void encode(String text, BlockWriter out) {
        long pending = 0;
        int pendingBits = 0;
        for (int i = 0; i < text.length(); i++) {
            int symbol = text.charAt(i) & 0xFF;
            pending = (pending << LENGTHS[symbol]) | CODES[symbol];
            pendingBits += LENGTHS[symbol];
            while (pendingBits >= 8) {
                pendingBits -= 8;
                out.write((int) (pending >>> pendingBits));
            }
        }
        if (pendingBits > 0) {
            out.write((int) ((pending << (8 - pendingBits)) | (0xFF >>> pendingBits)));
        }
    }

    /**
     * Decodes {@code length} octets from {@code offset}. §5.2: padding longer than 7 bits, padding that is not
     * all ones, and an EOS symbol inside the string are decoding errors.
     */
    static String decode(byte[] block, int offset, int length) throws HpackException {
        var text = new StringBuilder(length * 8 / 5);
        int node = 0;
        int bitsSinceSymbol = 0;
        boolean onlyOnes = true;
        for (int i = offset; i < offset + length; i++) {
            int octet = block[i] & 0xFF;
            for (int bit = 7; bit >= 0; bit--) {
                int branch = (octet >>> bit) & 1;
                int child = CHILDREN[node][branch];
                bitsSinceSymbol++;
                onlyOnes &= branch == 1;
                if (child < 0) {
                    if (~child == EOS) {
                        throw HpackException.compression("Huffman string contains EOS");
                    }
                    text.append((char) ~child);
                    node = 0;
                    bitsSinceSymbol = 0;
                    onlyOnes = true;
                } else {
                    node = child;
                }
            }
        }
        if (bitsSinceSymbol > 7 || !onlyOnes) {
            throw HpackException.compression("Huffman string has invalid padding");
        }
        return text.toString();
    }
}
