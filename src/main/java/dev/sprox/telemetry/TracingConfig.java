package dev.sprox.telemetry;

import dev.sprox.security.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code telemetry.tracing} block: where spans go (OTLP/HTTP) and how many are kept.
 *
 * @param headers     sent with every export, e.g. a collector's token; values may come from {@code ${env:}}
 * @param exportDelay how long finished spans wait to be batched before they are sent
 */
public record TracingConfig(URI endpoint, Map<String, Secret> headers, double samplingRatio, String serviceName,
                            Map<String, String> resourceAttributes, Duration exportDelay) {
    public static final double DEFAULT_SAMPLING_RATIO = 0.1;
    public static final String DEFAULT_SERVICE_NAME = "sprox";
    public static final Duration DEFAULT_EXPORT_DELAY = Duration.ofSeconds(5);

    public TracingConfig {
        headers = Map.copyOf(headers);
        resourceAttributes = Map.copyOf(resourceAttributes);
    }
}
