package dev.sprox.config;

import dev.sprox.security.Secret;
import dev.sprox.telemetry.TracingConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Binds the {@code telemetry} block; a tracing block without an endpoint means tracing is off. */
final class TelemetryBinder {
    private TelemetryBinder() {}

    static Optional<TracingConfig> telemetry(Fields f) {
        Optional<TracingConfig> tracing = f.mapping("tracing").flatMap(TelemetryBinder::tracing);
        f.rejectUnknown();
        return tracing;
    }

    private static Optional<TracingConfig> tracing(Fields f) {
        Optional<URI> endpoint = f.string("endpoint").flatMap(text -> endpoint(f, text.strip()));
        Map<String, Secret> headers = f.secretHeaders("headers");
        double ratio = f.decimal("sampling_ratio", 0.0, 1.0).orElse(TracingConfig.DEFAULT_SAMPLING_RATIO);
        String serviceName = f.string("service_name").map(String::strip).orElse(TracingConfig.DEFAULT_SERVICE_NAME);
        if (serviceName.isEmpty()) {
            f.problem("service_name", "must not be empty");
        }
        Map<String, String> attributes = f.stringMap("resource_attributes");
        var delay = f.millis("export_delay_ms").orElse(TracingConfig.DEFAULT_EXPORT_DELAY);
        f.rejectUnknown();
        return endpoint.map(e -> new TracingConfig(e, headers, ratio, serviceName, attributes, delay));
    }

    private static Optional<URI> endpoint(Fields f, String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // Reported below, like any other value that is not an http(s) URL.
        }
        f.problem("endpoint", "not an http(s) URL: \"" + text + "\"");
        return Optional.empty();
    }
}
