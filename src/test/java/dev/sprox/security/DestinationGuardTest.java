package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationGuardTest {
    /** Names only this fixture knows (RFC 6761 .test); every lookup is counted. */
    private final AtomicInteger lookups = new AtomicInteger();
    private final Map<String, List<String>> names = Map.of(
            "public.test", List.of("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"),
            "inside.test", List.of("10.0.0.5"),
            "mixed.test", List.of("93.184.216.34", "10.0.0.1"),
            "metadata.test", List.of("169.254.169.254"),
            "mapped.test", List.of("::ffff:127.0.0.1"),
            "nat64.test", List.of("64:ff9b::7f00:1"),
            "second-loopback.test", List.of("127.0.0.2"));
    private final HostResolver fixture = name -> {
        lookups.incrementAndGet();
        List<String> addresses = names.get(name);
        if (addresses == null) {
            throw new UnknownHostException(name);
        }
        return addresses.stream().map(InetAddress::ofLiteral).toList();
    };

    private static AllowRule any(String domain) {
        return new AllowRule(domain, Set.of("http", "https"), List.of(), Set.of());
    }

    private DestinationGuard guard(List<AllowRule> allowlist, String... allowCidrs) {
        return new DestinationGuard(allowlist, List.of(allowCidrs).stream().map(c -> Cidr.parse(c).orElseThrow())
                .toList(), fixture);
    }

    private Refusal refusal(DestinationGuard guard, String url) {
        return assertThrows(DestinationRefused.class, () -> guard.admit(URI.create(url)).close()).refusal();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, LOOPBACK",
            "127.0.0.1., LOOPBACK",
            "127.1, LOOPBACK",
            "0177.0.0.1, LOOPBACK",
            "0x7f.1, LOOPBACK",
            "0X7F.0.0.1, LOOPBACK",
            "0x7f000001, LOOPBACK",
            "2130706433, LOOPBACK",
            "017700000001, LOOPBACK",
            "0x7f.0.01, LOOPBACK",
            "0177.0x0.1, LOOPBACK",
            "[::ffff:127.0.0.1], LOOPBACK",
            "[::ffff:7f00:1], LOOPBACK",
            "[::7f00:1], LOOPBACK",
            "[::1], LOOPBACK",
            "[0:0:0:0:0:0:0:1], LOOPBACK",
            "[64:ff9b::7f00:1], LOOPBACK",
            "[2002:7f00:1::], LOOPBACK",
            "[2001:0:4136:e378:8000:63bf:80ff:fffe], LOOPBACK",
            "localhost, LOOPBACK",
            "LOCALHOST., LOOPBACK",
            "foo.localhost, LOOPBACK",
            "a.b.LocalHost, LOOPBACK",
            "[::ffff:10.0.0.1], PRIVATE",
            "[64:ff9b::a00:1], PRIVATE",
            "[64:ff9b:1:a00:0:100::], PRIVATE",
            "[2002:a00:1::], PRIVATE",
            "10.1.2.3, PRIVATE",
            "172.16.0.1, PRIVATE",
            "172.31.255.255, PRIVATE",
            "192.168.1.1, PRIVATE",
            "012.0.0.1, PRIVATE",
            "169.254.169.254, LINK_LOCAL",
            "[fe80::1], LINK_LOCAL",
            "[fe80::1%25eth0], LINK_LOCAL",
            "100.64.0.1, SHARED",
            "100.127.255.254, SHARED",
            "224.0.0.1, MULTICAST",
            "[ff02::1], MULTICAST",
            "240.0.0.1, RESERVED",
            "192.0.0.8, RESERVED",
            "[100::1], RESERVED",
            "[4000::1], RESERVED",
            "255.255.255.255, BROADCAST",
            "192.0.2.1, DOCUMENTATION",
            "198.51.100.7, DOCUMENTATION",
            "203.0.113.9, DOCUMENTATION",
            "[2001:db8::1], DOCUMENTATION",
            "[2001:0:4136:e378:8000:63bf:3fff:fdd2], DOCUMENTATION",
            "198.18.0.1, BENCHMARKING",
            "198.19.255.255, BENCHMARKING",
            "0.0.0.0, UNSPECIFIED",
            "0, UNSPECIFIED",
            "0x, UNSPECIFIED",
            "0.1.2.3, UNSPECIFIED",
            "[::], UNSPECIFIED",
            "[fc00::1], UNIQUE_LOCAL",
            "[fd12:3456::1], UNIQUE_LOCAL",
            "[fec0::1], SITE_LOCAL",
    })
    void refusesEverySpellingOfAForbiddenAddressBeforeAnyLookup(String host, AddressCategory category) {
        Refusal refusal = refusal(guard(List.of(any("example.com"))), "http://" + host + ":8080/x");
        assertEquals(category, assertInstanceOf(Refusal.ForbiddenAddress.class, refusal).category());
        assertEquals(0, lookups.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3.4.5", "08.1.1.1", "1.2.3.0x100", "4294967296", "a.b.1", "1.2.3.-1",
            "0x8.8.8.8", "134744072", "8.8.010.8", "a_b.example.com", "-a.example.com", "a..example.com"})
    void refusesMalformedAndAmbiguousHostsWithoutLookingThemUp(String host) {
        Refusal refusal = refusal(guard(List.of(any("example.com"))), "http://" + host + "/");
        assertInstanceOf(Refusal.MalformedHost.class, refusal);
        assertEquals(0, lookups.get());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "inside.test, PRIVATE",
            "mixed.test, PRIVATE",
            "metadata.test, LINK_LOCAL",
            "mapped.test, LOOPBACK",
            "nat64.test, LOOPBACK",
            "Inside.TEST., PRIVATE"})
    void refusesNamesWithAnyForbiddenAddress(String host, AddressCategory category) {
        DestinationGuard guard = guard(List.of(any("inside.test"), any("mixed.test"), any("metadata.test"),
                any("mapped.test"), any("nat64.test")));
        Refusal refusal = refusal(guard, "https://" + host + "/live.m3u8");
        assertEquals(category, assertInstanceOf(Refusal.ForbiddenAddress.class, refusal).category());
        assertEquals("destination address is " + category.description(), refusal.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/a.ts", "https://[2606:4700::1111]/a.ts",
            "https://[64:ff9b::808:808]/a.ts", "https://[2002:808:808::]/a.ts", "https://public.test/a.ts"})
    void admitsPublicDestinations(String url) throws DestinationRefused {
        DestinationGuard guard = guard(List.of(any("93.184.216.34"), any("[2606:4700::1111]"),
                any("[64:ff9b::808:808]"), any("[2002:808:808::]"), any("public.test")));
        try (Admission admission = guard.admit(URI.create(url))) {
            assertEquals(URI.create(url), admission.destination());
        }
    }

    @Test
    void admissionOfANameCarriesEveryResolvedAddress() throws Exception {
        try (Admission admission = guard(List.of(any("public.test"))).admit(URI.create("https://public.test/"))) {
            assertEquals(List.of(InetAddress.ofLiteral("93.184.216.34"),
                    InetAddress.ofLiteral("2606:2800:220:1:248:1893:25c8:1946")), admission.addresses());
        }
    }

    @Test
    void allowCidrsLetsExactlyTheirAddressesThrough() throws Exception {
        DestinationGuard guard = guard(List.of(any("127.0.0.1"), any("127.0.0.2"), any("inside.test")),
                "127.0.0.1/32", "10.0.0.0/8");
        guard.admit(URI.create("http://127.0.0.1/")).close();
        guard.admit(URI.create("http://inside.test/")).close();
        assertInstanceOf(Refusal.ForbiddenAddress.class, refusal(guard, "http://127.0.0.2:8080/"));
    }

    @Test
    void allowCidrsOpenOnlyThePortsTheRuleLists() throws Exception {
        DestinationGuard byDefault = guard(List.of(any("10.20.0.5"), any("inside.test")), "10.0.0.0/8");
        byDefault.admit(URI.create("http://10.20.0.5/")).close();
        byDefault.admit(URI.create("https://10.20.0.5:443/")).close();
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(byDefault, "http://10.20.0.5:6379/"));
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(byDefault, "http://inside.test:6379/"));
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(byDefault, "http://10.20.0.5:443/"));

        DestinationGuard listed = guard(List.of(new AllowRule("10.20.0.5", Set.of("http"), List.of(),
                Set.of(8080))), "10.0.0.0/8");
        listed.admit(URI.create("http://10.20.0.5:8080/")).close();
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(listed, "http://10.20.0.5/"));
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(listed, "http://10.20.0.5:22/"));
    }

    @Test
    void allowCidrsDoNotMakeAmbiguousSpellingsAcceptable() {
        DestinationGuard guard = guard(List.of(any("127.1")), "127.0.0.1/32");
        assertInstanceOf(Refusal.MalformedHost.class, refusal(guard, "http://127.1:8080/"));
    }

    @Test
    void emptyAllowlistAllowsNothing() {
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(guard(List.of()), "https://public.test/"));
        assertEquals(0, lookups.get());
    }

    @Test
    void namesOutsideTheAllowlistAreNeverLookedUp() {
        assertInstanceOf(Refusal.NotAllowlisted.class,
                refusal(guard(List.of(any("cdn.example.com"))), "https://inside.test/"));
        assertEquals(0, lookups.get());
    }

    @Test
    void schemesDefaultToHttpsOnly() throws Exception {
        DestinationGuard guard = guard(List.of(new AllowRule("public.test", AllowRule.DEFAULT_SCHEMES, List.of(), Set.of())));
        guard.admit(URI.create("https://public.test/a.ts")).close();
        assertInstanceOf(Refusal.NotAllowlisted.class, refusal(guard, "http://public.test/a.ts"));
    }

    @Test
    void hostsCompareWithoutCaseOrTrailingDot() throws Exception {
        guard(List.of(any("public.test"))).admit(URI.create("https://PUBLIC.Test./a.ts")).close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://public.test/a", "file:///etc/passwd", "gopher://public.test/", "/relative"})
    void refusesOtherSchemes(String url) {
        assertInstanceOf(Refusal.BadScheme.class, refusal(guard(List.of(any("public.test"))), url));
    }

    @Test
    void nameThatDoesNotResolveIsUnresolvable() {
        Refusal refusal = refusal(guard(List.of(any("nowhere.test"))), "https://nowhere.test/");
        assertEquals(new Refusal.Unresolvable("nowhere.test"), refusal);
    }
}
