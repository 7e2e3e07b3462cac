package dev.sprox.http2;

/**
 * One header field as HPACK carries it. Names and values are octet strings, held as ISO-8859-1 text so that each
 * char is one octet; the HTTP/2 layer decides what is a valid field (RFC 9113 §8.2.1), HPACK does not.
 */
public record HeaderField(String name, String value) {

    /** RFC 7541 §4.1: an entry's size is its name and value lengths in octets plus 32. */
    public int size() {
        return name.length() + value.length() + 32;
    }

    @Override
    public String toString() {
        return name + ": " + value;
    }
}
