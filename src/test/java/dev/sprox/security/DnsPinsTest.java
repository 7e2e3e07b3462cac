package dev.sprox.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsPinsTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress PUBLIC = InetAddress.ofLiteral("93.184.216.34");

    private static boolean publicOnly(InetAddress address) {
        return ForbiddenAddresses.categoryOf(address).isEmpty();
    }

    @Test
    void nameStaysPinnedUntilItsLastAdmissionCloses() {
        Runnable first = DnsPins.pin("two.test", new DnsPins.Pin(List.of(PUBLIC), DnsPinsTest::publicOnly));
        Runnable second = DnsPins.pin("two.test", new DnsPins.Pin(List.of(PUBLIC), DnsPinsTest::publicOnly));
        first.run();
        assertEquals(Optional.of(List.of(PUBLIC)), DnsPins.lookup("two.test"));
        second.run();
        assertEquals(Optional.empty(), DnsPins.lookup("two.test"));
    }

    @Test
    void pinAnswersWhateverTheCaseAndTrailingDot() {
        Runnable release = DnsPins.pin("Case.Test.", new DnsPins.Pin(List.of(PUBLIC), DnsPinsTest::publicOnly));
        try {
            assertEquals(Optional.of(List.of(PUBLIC)), DnsPins.lookup("CASE.test"));
            assertEquals(Optional.of(List.of(PUBLIC)), DnsPins.lookup("case.test."));
        } finally {
            release.run();
        }
    }

    @Test
    void concurrentPinsAnswerOnlyAddressesEveryOnePermits() {
        Runnable lax = DnsPins.pin("reload.test", new DnsPins.Pin(List.of(LOOPBACK), address -> true));
        Runnable strict = DnsPins.pin("reload.test", new DnsPins.Pin(List.of(PUBLIC), DnsPinsTest::publicOnly));
        try {
            assertEquals(Optional.of(List.of(PUBLIC)), DnsPins.lookup("reload.test"));
        } finally {
            lax.run();
            strict.run();
        }
    }
}
