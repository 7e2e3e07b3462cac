package dev.sprox.route;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** {@link ProxyHarness} with one WireMock origin per test class, emptied before each test. */
public abstract class WireMockHarness extends ProxyHarness {
    protected static WireMockServer origin;

    @BeforeAll
    static void startOrigin() {
        origin = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        origin.start();
    }

    @AfterAll
    static void stopOrigin() {
        origin.stop();
    }

    @BeforeEach
    void resetOrigin() {
        origin.resetAll();
    }
}
