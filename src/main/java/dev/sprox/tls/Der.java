package dev.sprox.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The little ASN.1 DER that wrapping a traditional key in PKCS#8 needs; the JDK has no public DER API. */
final class Der {

    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xA0;

    /** One tag-length-value: {@code encoded} is the whole element, {@code content} just its value. */
    record Element(int tag, byte[] encoded, byte[] content) {}

    private Der() {}

    /** Encodes an element whose value is the given parts, back to back. */
    static byte[] element(int tag, byte[]... contentParts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : contentParts) {
            content.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        writeLength(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /** The elements directly inside a constructed element's value, e.g. a SEQUENCE's fields. */
    static List<Element> children(byte[] content) throws IOException {
        List<Element> elements = new ArrayList<>();
        int offset = 0;
        while (offset < content.length) {
            Element next = read(content, offset);
            elements.add(next);
            offset += next.encoded().length;
        }
        return elements;
    }

    /** Reads the single element that makes up {@code der}, refusing trailing bytes. */
    static Element parse(byte[] der) throws IOException {
        Element element = read(der, 0);
        if (element.encoded().length != der.length) {
            throw new IOException("malformed DER: " + (der.length - element.encoded().length) + " bytes after the end");
        }
        return element;
    }

    private static Element read(byte[] der, int start) throws IOException {
        if (der.length - start < 2) {
            throw new IOException("malformed DER: truncated element");
        }
        int tag = der[start] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new IOException("malformed DER: multi-byte tags are not used in keys");
        }
        int first = der[start + 1] & 0xFF;
        int headerLength = 2;
        long length = first;
        if (first >= 0x80) {
            int lengthBytes = first & 0x7F;
            if (lengthBytes == 0 || lengthBytes > 4 || der.length - start - 2 < lengthBytes) {
                throw new IOException("malformed DER: bad length");
            }
            length = 0;
            for (int i = 0; i < lengthBytes; i++) {
                length = length << 8 | der[start + 2 + i] & 0xFF;
            }
            headerLength += lengthBytes;
        }
        if (length > der.length - start - headerLength) {
            throw new IOException("malformed DER: element longer than its input");
        }
        int end = start + headerLength + (int) length;
        byte[] encoded = Arrays.copyOfRange(der, start, end);
        byte[] content = Arrays.copyOfRange(der, start + headerLength, end);
        return new Element(tag, encoded, content);
    }

    // Short form below 128, else 0x80|n followed by n big-endian length bytes (X.690 8.1.3).
    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int byteCount = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | byteCount);
        for (int shift = (byteCount - 1) * 8; shift >= 0; shift -= 8) {
            out.write(length >>> shift & 0xFF);
        }
    }
}
