package dev.sprox.security;

/** Kinds of address a user-supplied destination must never reach (unless {@code allow_cidrs} says so). */
public enum AddressCategory {
    /** 0.0.0.0/8 ("this network") and :: */
    UNSPECIFIED("unspecified"),
    /** 127.0.0.0/8, ::1, and names such as localhost */
    LOOPBACK("loopback"),
    /** RFC 1918: 10/8, 172.16/12, 192.168/16 */
    PRIVATE("private"),
    /** RFC 6598 carrier-grade NAT, 100.64/10 */
    SHARED("shared (carrier-grade NAT)"),
    /** 169.254/16, fe80::/10 */
    LINK_LOCAL("link-local"),
    /** fc00::/7 */
    UNIQUE_LOCAL("unique local"),
    /** fec0::/10, deprecated but still routed inside some networks */
    SITE_LOCAL("site-local"),
    /** 224/4, ff00::/8 */
    MULTICAST("multicast"),
    /** 255.255.255.255 */
    BROADCAST("broadcast"),
    /** 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32 */
    DOCUMENTATION("documentation"),
    /** 198.18/15 */
    BENCHMARKING("benchmarking"),
    /** 240/4, 192.0.0/24, 100::/64 and IPv6 outside the global unicast 2000::/3 */
    RESERVED("reserved");

    private final String description;

    AddressCategory(String description) {
        this.description = description;
    }

    /** Words for a refusal: "destination address is {description}". */
    public String description() {
        return description;
    }
}
