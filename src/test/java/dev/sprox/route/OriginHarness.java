package dev.sprox.route;

import dev.sprox.testing.MockOrigin;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link ProxyHarness} with a scriptable origin: a fresh {@link MockOrigin} for each test, so what one test
 * scripted or left in flight never reaches the next one's assertions.
 */
public abstract class OriginHarness extends ProxyHarness {
    protected final MockOrigin origin = MockOrigin.start();

    @AfterEach
    void closeOrigin() {
        origin.close();
    }
}
