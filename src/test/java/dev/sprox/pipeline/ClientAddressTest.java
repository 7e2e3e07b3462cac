package dev.sprox.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.http.Headers;
import dev.sprox.security.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8").orElseThrow(),
            Cidr.parse("2001:db8:ffff::/48").orElseThrow());

    private static String resolve(String peer, String... headers) {
        return ClientAddress.resolve(InetAddress.ofLiteral(peer), Headers.of(headers), TRUSTED).getHostAddress();
    }

    @Test
    void untrustedPeerCannotClaimAnotherAddress() {
        assertEquals("203.0.113.9", resolve("203.0.113.9", "X-Forwarded-For", "198.51.100.1"));
    }

    @Test
    void trustedProxyIsBelievedForXForwardedFor() {
        assertEquals("198.51.100.1", resolve("10.0.0.2", "X-Forwarded-For", "198.51.100.1"));
    }

    @Test
    void addressPrependedByTheClientIsIgnored() {
        assertEquals("198.51.100.1", resolve("10.0.0.2", "X-Forwarded-For", "127.0.0.1, 198.51.100.1"));
    }

    @Test
    void chainOfTrustedProxiesIsWalkedFromTheRight() {
        assertEquals("198.51.100.1", resolve("10.0.0.2", "X-Forwarded-For", "198.51.100.1, 10.1.1.1, 10.2.2.2"));
    }

    @Test
    void forwardedHeaderWinsOverXForwardedFor() {
        assertEquals("2001:db8:0:0:0:0:0:17", resolve("10.0.0.2",
                "Forwarded", "for=\"[2001:db8::17]:4711\";proto=https", "X-Forwarded-For", "198.51.100.1"));
    }

    @Test
    void forwardedWithPortIsParsed() {
        assertEquals("192.0.2.43", resolve("10.0.0.2", "Forwarded", "for=192.0.2.43:47011, for=10.9.9.9"));
    }

    @Test
    void realIpIsUsedWhenNothingElseIsThere() {
        assertEquals("198.51.100.7", resolve("10.0.0.2", "X-Real-IP", "198.51.100.7"));
    }

    @Test
    void obfuscatedNodeStopsTheWalkAtTheLastTrustedHop() {
        assertEquals("10.0.0.2", resolve("10.0.0.2", "Forwarded", "for=unknown"));
    }

    @Test
    void legacyIpv4FormsAreNotAcceptedAsClientAddresses() {
        assertEquals("10.0.0.2", resolve("10.0.0.2", "X-Forwarded-For", "127.1"));
    }

    @Test
    void trustedPeerWithoutForwardingHeadersIsTheClient() {
        assertEquals("10.0.0.2", resolve("10.0.0.2"));
    }
}
