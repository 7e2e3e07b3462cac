package dev.sprox.security;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the host of a URL says before anyone asks DNS: an address in any of the spellings that resolvers and
 * browsers accept ({@code 127.1}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 2130706433}, bracketed IPv6 with or
 * without a zone), a name, or nothing valid. Every numeric spelling is decoded the way {@code inet_aton(3)} and the
 * WHATWG URL standard decode it, so a spelling that some library would read as loopback is known as loopback here.
 */
final class HostText {
    private static final Pattern NAME =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]*|[0-9]+");
    private static final Pattern DOTTED_DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    private HostText() {}

    /** What a host turned out to be. */
    sealed interface Reading permits Address, Name, Malformed {}

    /** An address literal; {@code canonical} when written as plain dotted decimal or bracketed IPv6 without zone. */
    record Address(InetAddress address, boolean canonical) implements Reading {}

    /** A name to resolve: lower case, without the root's trailing dot. */
    record Name(String name) implements Reading {}

    /** Not a usable host; {@code why} is a few words for the client. */
    record Malformed(String why) implements Reading {}

    static Reading parse(String host) {
        String text = host.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("[")) {
            return bracketed(text);
        }
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty() || text.length() > 253) {
            return new Malformed("host name is empty or too long");
        }
        String last = text.substring(text.lastIndexOf('.') + 1);
        // WHATWG URL: a host whose last label is a number is an IPv4 address or invalid, never a name.
        if (NUMBER.matcher(last).matches()) {
            return ipv4(text);
        }
        return NAME.matcher(text).matches() ? new Name(text) : new Malformed("not a valid host name");
    }

    private static Reading bracketed(String text) {
        if (!text.endsWith("]")) {
            return new Malformed("unterminated IPv6 literal");
        }
        String inner = text.substring(1, text.length() - 1);
        int zone = inner.indexOf('%');
        String literal = zone < 0 ? inner : inner.substring(0, zone);
        if (!literal.contains(":") || !literal.matches("[0-9a-f:.]+")) {
            return new Malformed("not a valid IPv6 address");
        }
        try {
            InetAddress address = InetAddress.ofLiteral(literal);
            // An IPv4-mapped literal comes back as its IPv4 address; either way it was written in brackets.
            return new Address(address, zone < 0 || !(address instanceof Inet6Address));
        } catch (IllegalArgumentException e) {
            return new Malformed("not a valid IPv6 address");
        }
    }

    /** {@code inet_aton}: one to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
    private static Reading ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return new Malformed("not a valid IPv4 address");
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            long part = number(parts[i]);
            int bytesLeft = 4 - i;
            long limit = i == parts.length - 1 ? (1L << (8 * bytesLeft)) - 1 : 255;
            if (part < 0 || part > limit) {
                return new Malformed("not a valid IPv4 address");
            }
            value = i == parts.length - 1 ? value << (8 * bytesLeft) | part : value << 8 | part;
        }
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return new Address(InetAddress.getByAddress(bytes), DOTTED_DECIMAL.matcher(text).matches());
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The part's value, or -1 when it is not a number or is larger than any part may be. */
    private static long number(String part) {
        try {
            BigInteger value;
            if (part.startsWith("0x")) {
                value = part.length() == 2 ? BigInteger.ZERO : new BigInteger(part.substring(2), 16);
            } else if (part.length() > 1 && part.startsWith("0")) {
                if (!part.matches("[0-7]+")) {
                    return -1;
                }
                value = new BigInteger(part, 8);
            } else if (!part.isEmpty() && part.matches("[0-9]+")) {
                value = new BigInteger(part);
            } else {
                return -1;
            }
            return value.bitLength() > 32 ? -1 : value.longValue();
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
