package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spellings that java.net.URI would not even accept as a URL still have to be read right. */
class HostTextTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "1.2.3.4, 1.2.3.4, true",
            "127.1, 127.0.0.1, false",
            "0177.0.0.1, 127.0.0.1, false",
            "0x7f.1, 127.0.0.1, false",
            "2130706433, 127.0.0.1, false",
            "1.2.3.4., 1.2.3.4, true",
            "[::ffff:7f00:1], 127.0.0.1, true",
            "[FE80::1%eth0], fe80:0:0:0:0:0:0:1, false"})
    void decodesAddressSpellings(String host, String address, boolean canonical) {
        assertEquals(new HostText.Address(InetAddress.ofLiteral(address), canonical), HostText.parse(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::g]", "[1.2.3.4]", "[fe80::1", "", ".", "a b", "256.0.0.1", "0x1.0x100.0.0"})
    void refusesWhatIsNoHost(String host) {
        assertInstanceOf(HostText.Malformed.class, HostText.parse(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cdn.example.com", "CDN.Example.COM.", "1e100.net", "xn--bcher-kva.example"})
    void namesAreLowerCaseWithoutTrailingDot(String host) {
        String expected = host.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.$", "");
        assertEquals(new HostText.Name(expected), HostText.parse(host));
    }
}
