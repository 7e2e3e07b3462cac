package dev.sprox.testing;

import dev.sprox.upstream.ClientProperties;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets the JDK client's properties as {@code Main} does, before the first test class of a JVM runs (registered
 * for every class through {@code junit-platform.properties}), so in-process tests meet the client production runs.
 */
public final class ClientPropertiesExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        ClientProperties.install();
    }
}
