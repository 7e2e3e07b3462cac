package dev.sprox.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The one classification of addresses a user-supplied destination may not reach. IPv6 forms that carry an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) are judged by the IPv4 address they lead to,
 * because that is where the packets end up.
 */
final class ForbiddenAddresses {
    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0/8", AddressCategory.UNSPECIFIED),
            block("10.0.0.0/8", AddressCategory.PRIVATE),
            block("100.64.0.0/10", AddressCategory.SHARED),
            block("127.0.0.0/8", AddressCategory.LOOPBACK),
            block("169.254.0.0/16", AddressCategory.LINK_LOCAL),
            block("172.16.0.0/12", AddressCategory.PRIVATE),
            block("192.0.0.0/24", AddressCategory.RESERVED),
            block("192.0.2.0/24", AddressCategory.DOCUMENTATION),
            block("192.168.0.0/16", AddressCategory.PRIVATE),
            block("198.18.0.0/15", AddressCategory.BENCHMARKING),
            block("198.51.100.0/24", AddressCategory.DOCUMENTATION),
            block("203.0.113.0/24", AddressCategory.DOCUMENTATION),
            block("224.0.0.0/4", AddressCategory.MULTICAST),
            block("255.255.255.255/32", AddressCategory.BROADCAST),
            block("240.0.0.0/4", AddressCategory.RESERVED));
    private static final List<Block> IPV6 = List.of(
            block("::/128", AddressCategory.UNSPECIFIED),
            block("::1/128", AddressCategory.LOOPBACK),
            block("100::/64", AddressCategory.RESERVED),
            block("2001:db8::/32", AddressCategory.DOCUMENTATION),
            block("fc00::/7", AddressCategory.UNIQUE_LOCAL),
            block("fe80::/10", AddressCategory.LINK_LOCAL),
            block("fec0::/10", AddressCategory.SITE_LOCAL),
            block("ff00::/8", AddressCategory.MULTICAST));
    private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3").orElseThrow();
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96").orElseThrow();
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96").orElseThrow();
    private static final Cidr NAT64_LOCAL = Cidr.parse("64:ff9b:1::/48").orElseThrow();
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16").orElseThrow();
    private static final Cidr TEREDO = Cidr.parse("2001::/32").orElseThrow();

    private ForbiddenAddresses() {}

    private record Block(Cidr cidr, AddressCategory category) {}

    private static Block block(String cidr, AddressCategory category) {
        return new Block(Cidr.parse(cidr).orElseThrow(), category);
    }

    /** Empty when the address is an ordinary public one; otherwise why it is forbidden. */
    static Optional<AddressCategory> categoryOf(InetAddress address) {
        return switch (address) {
            case Inet4Address v4 -> lookup(IPV4, v4);
            case Inet6Address v6 -> ipv6(v6);
            default -> Optional.of(AddressCategory.RESERVED);
        };
    }

    private static Optional<AddressCategory> ipv6(Inet6Address address) {
        Optional<AddressCategory> own = lookup(IPV6, address);
        if (own.isPresent()) {
            return own;
        }
        byte[] bytes = address.getAddress();
        if (IPV4_COMPATIBLE.contains(address) || NAT64.contains(address)) {
            return categoryOf(ipv4(bytes, 12, 0));
        }
        // RFC 8215 local-use NAT64: the IPv4 address sits in bytes 6-9 (byte 8 is the "u" octet, always zero).
        if (NAT64_LOCAL.contains(address)) {
            return categoryOf(ipv4(new byte[] {bytes[6], bytes[7], bytes[9], bytes[10]}, 0, 0));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return categoryOf(ipv4(bytes, 2, 0));
        }
        // RFC 4380: the Teredo server in bytes 4-7, the client's public address inverted in bytes 12-15.
        if (TEREDO.contains(address)) {
            return categoryOf(ipv4(bytes, 12, 0xFF)).or(() -> categoryOf(ipv4(bytes, 4, 0)));
        }
        if (!GLOBAL_UNICAST.contains(address)) {
            return Optional.of(AddressCategory.RESERVED);
        }
        return Optional.empty();
    }

    private static Optional<AddressCategory> lookup(List<Block> blocks, InetAddress address) {
        return blocks.stream().filter(b -> b.cidr().contains(address)).map(Block::category).findFirst();
    }

    private static InetAddress ipv4(byte[] bytes, int offset, int xor) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            v4[i] = (byte) (bytes[offset + i] ^ xor);
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
