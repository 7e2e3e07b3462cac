package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }

    @Test
    void containsAddressesInsideTheBlockOnly() {
        Cidr block = cidr("10.1.0.0/17");
        assertTrue(block.contains(InetAddress.ofLiteral("10.1.127.255")));
        assertFalse(block.contains(InetAddress.ofLiteral("10.1.128.0")));
    }

    @Test
    void bareAddressIsABlockOfOne() {
        assertTrue(cidr("::1").contains(InetAddress.ofLiteral("::1")));
        assertFalse(cidr("::1").contains(InetAddress.ofLiteral("::2")));
    }

    @Test
    void ipv4BlockDoesNotContainIpv6Addresses() {
        assertFalse(cidr("0.0.0.0/0").contains(InetAddress.ofLiteral("2001:db8::1")));
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Address() {
        assertTrue(cidr("127.0.0.0/8").contains(InetAddress.ofLiteral("::ffff:127.0.0.1")));
    }

    @Test
    void refusesMalformedBlocks() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "example.com/8", "", "::/129"}) {
            assertEquals(Optional.empty(), Cidr.parse(bad), bad);
        }
    }
}
