package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final InetAddress A = InetAddress.ofLiteral("198.51.100.1");
    private static final InetAddress B = InetAddress.ofLiteral("198.51.100.2");
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateLimiter limiter(double perSecond, int burst, Optional<RateLimitConfig.Bucket> global, int max) {
        return new RateLimiter(new RateLimitConfig(new RateLimitConfig.Bucket(perSecond, burst), global,
                RateLimitConfig.DEFAULT_AUTH_FAILURES, RateLimitConfig.DEFAULT_KEY_ENDPOINTS, max,
                RateLimitConfig.DEFAULT_IPV6_PREFIX, RateLimitConfig.DEFAULT_AUTH_FAILURES_IPV6_PREFIX),
                now::get);
    }

    @Test
    void admitsABurstThenRefusesWithTheTimeUntilTheNextToken() {
        RateLimiter limiter = limiter(2, 3, Optional.empty(), 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.admit(A));
        }
        assertEquals(Optional.of(new RateLimiter.Refusal("client", 500_000_000L)), limiter.admit(A));
    }

    @Test
    void refillsWithTime() {
        RateLimiter limiter = limiter(2, 1, Optional.empty(), 100);
        assertEquals(Optional.empty(), limiter.admit(A));
        assertTrue(limiter.admit(A).isPresent());
        now.addAndGet(500_000_000L);
        assertEquals(Optional.empty(), limiter.admit(A));
    }

    @Test
    void eachClientHasItsOwnBucket() {
        RateLimiter limiter = limiter(1, 1, Optional.empty(), 100);
        assertEquals(Optional.empty(), limiter.admit(A));
        assertEquals(Optional.empty(), limiter.admit(B));
        assertTrue(limiter.admit(A).isPresent());
    }

    @Test
    void globalBucketLimitsEveryoneTogether() {
        RateLimiter limiter = limiter(100, 100, Optional.of(new RateLimitConfig.Bucket(1, 2)), 100);
        assertEquals(Optional.empty(), limiter.admit(A));
        assertEquals(Optional.empty(), limiter.admit(B));
        assertEquals("global", limiter.admit(A).orElseThrow().bucket());
    }

    @Test
    void memoryStaysBoundedWhateverTheNumberOfClients() {
        RateLimiter limiter = limiter(10, 10, Optional.empty(), 1_000);
        for (int i = 0; i < 100_000; i++) {
            limiter.admit(InetAddress.ofLiteral("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
        }
        assertEquals(1_000, limiter.trackedClients());
    }

    private RateLimiter withAuthFailures(double perSecond, int burst, int max) {
        return new RateLimiter(new RateLimitConfig(new RateLimitConfig.Bucket(1000, 1000), Optional.empty(),
                new RateLimitConfig.Bucket(perSecond, burst), RateLimitConfig.DEFAULT_KEY_ENDPOINTS, max,
                RateLimitConfig.DEFAULT_IPV6_PREFIX, RateLimitConfig.DEFAULT_AUTH_FAILURES_IPV6_PREFIX), now::get);
    }

    @Test
    void keyRequestsSpendTheirOwnStricterBucketPerClient() {
        RateLimiter limiter = new RateLimiter(new RateLimitConfig(new RateLimitConfig.Bucket(1000, 1000),
                Optional.empty(), RateLimitConfig.DEFAULT_AUTH_FAILURES, new RateLimitConfig.Bucket(0.5, 2), 100,
                RateLimitConfig.DEFAULT_IPV6_PREFIX, RateLimitConfig.DEFAULT_AUTH_FAILURES_IPV6_PREFIX),
                now::get);
        assertEquals(Optional.empty(), limiter.admitKeyRequest(A));
        assertEquals(Optional.empty(), limiter.admitKeyRequest(A));
        RateLimiter.Refusal refusal = limiter.admitKeyRequest(A).orElseThrow();
        assertEquals(RateLimiter.KEY_ENDPOINTS, refusal.bucket());
        assertEquals(2_000_000_000L, refusal.retryAfterNanos(), "one token every two seconds");
        assertEquals(Optional.empty(), limiter.admitKeyRequest(B), "another client has its own bucket");
        assertEquals(Optional.empty(), limiter.admit(A), "ordinary requests are not held back by it");
        now.addAndGet(2_000_000_000L);
        assertEquals(Optional.empty(), limiter.admitKeyRequest(A));
    }

    @Test
    void keyRequestBucketsStayBoundedWhateverTheNumberOfClients() {
        RateLimiter limiter = limiter(1000, 1000, Optional.empty(), 1_000);
        for (int i = 0; i < 100_000; i++) {
            limiter.admitKeyRequest(InetAddress.ofLiteral("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "."
                    + (i & 255)));
        }
        assertEquals(1_000, limiter.trackedClients());
    }

    @Test
    void admitsAuthenticationUntilFailuresEmptyTheBucket() {
        RateLimiter limiter = withAuthFailures(0.1, 2, 100);
        assertEquals(Optional.empty(), limiter.admitAuthentication(A));
        limiter.authenticationFailed(A);
        assertEquals(Optional.empty(), limiter.admitAuthentication(A));
        limiter.authenticationFailed(A);
        assertEquals(Optional.of(new RateLimiter.Refusal("auth_failures", 10_000_000_000L)),
                limiter.admitAuthentication(A));
    }

    @Test
    void askingToAuthenticateSpendsNothing() {
        RateLimiter limiter = withAuthFailures(0.1, 1, 100);
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.empty(), limiter.admitAuthentication(A));
        }
        assertEquals(0, limiter.trackedClients());
    }

    @Test
    void authenticationFailuresRefillWithTime() {
        RateLimiter limiter = withAuthFailures(0.5, 1, 100);
        limiter.authenticationFailed(A);
        assertTrue(limiter.admitAuthentication(A).isPresent());
        now.addAndGet(2_000_000_000L);
        assertEquals(Optional.empty(), limiter.admitAuthentication(A));
    }

    @Test
    void oneClientsFailuresDoNotLockOutAnother() {
        RateLimiter limiter = withAuthFailures(0.1, 1, 100);
        limiter.authenticationFailed(A);
        assertTrue(limiter.admitAuthentication(A).isPresent());
        assertEquals(Optional.empty(), limiter.admitAuthentication(B));
    }

    @Test
    void rotatingAddressesInsideOneIpv6Slash64GetsNoFreshGuesses() {
        RateLimiter limiter = withAuthFailures(0.1, 2, 100);
        limiter.authenticationFailed(InetAddress.ofLiteral("2001:db8:1:2::1"));
        limiter.authenticationFailed(InetAddress.ofLiteral("2001:db8:1:2:ffff:ffff:ffff:fffe"));
        assertEquals(RateLimiter.AUTH_FAILURES, limiter.admitAuthentication(
                InetAddress.ofLiteral("2001:db8:1:2:abcd::7")).orElseThrow().bucket(), "another address of the /64");
        assertEquals(Optional.empty(), limiter.admitAuthentication(InetAddress.ofLiteral("2001:db8:1:3::1")),
                "the next /64 is another subscriber");
        assertEquals(Optional.empty(), limiter.admitAuthentication(A));
    }

    @Test
    void ordinaryBucketsAreKeyedByTheConfiguredIpv6Prefix() {
        RateLimiter perAddress = limiter(0.1, 1, Optional.empty(), 100);
        assertEquals(Optional.empty(), perAddress.admit(InetAddress.ofLiteral("2001:db8:1:2::1")));
        assertEquals(Optional.empty(), perAddress.admit(InetAddress.ofLiteral("2001:db8:1:2::2")),
                "by default each IPv6 address has its own ordinary bucket");

        RateLimiter bySlash56 = new RateLimiter(new RateLimitConfig(new RateLimitConfig.Bucket(0.1, 1),
                Optional.empty(), RateLimitConfig.DEFAULT_AUTH_FAILURES, RateLimitConfig.DEFAULT_KEY_ENDPOINTS, 100, 56,
                64), now::get);
        assertEquals(Optional.empty(), bySlash56.admit(InetAddress.ofLiteral("2001:db8:1:2::1")));
        assertEquals(RateLimiter.CLIENT, bySlash56.admit(InetAddress.ofLiteral("2001:db8:1:ff::9")).orElseThrow()
                .bucket());
        assertEquals(Optional.empty(), bySlash56.admit(InetAddress.ofLiteral("2001:db8:1:100::1")));
    }

    @Test
    void keysClearEveryBitAfterThePrefixAndLeaveIpv4Alone() {
        assertEquals(InetAddress.ofLiteral("2001:db8:1:2::"),
                RateLimiter.key(InetAddress.ofLiteral("2001:db8:1:2:3:4:5:6"), 64));
        assertEquals(InetAddress.ofLiteral("2001:db8:1:0::"),
                RateLimiter.key(InetAddress.ofLiteral("2001:db8:1:ff:3:4:5:6"), 56));
        assertEquals(InetAddress.ofLiteral("2001:db8::1"), RateLimiter.key(InetAddress.ofLiteral("2001:db8::1"), 128));
        assertEquals(A, RateLimiter.key(A, 64));
    }

    @Test
    void failuresDoNotSpendTheRequestBucket() {
        RateLimiter limiter = limiter(1, 1, Optional.empty(), 100);
        limiter.authenticationFailed(A);
        assertEquals(Optional.empty(), limiter.admit(A));
    }

    @Test
    void authenticationFailureMemoryStaysBounded() {
        RateLimiter limiter = withAuthFailures(0.1, 10, 1_000);
        for (int i = 0; i < 100_000; i++) {
            limiter.authenticationFailed(InetAddress.ofLiteral("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "."
                    + (i & 255)));
        }
        assertEquals(1_000, limiter.trackedClients());
    }
}
