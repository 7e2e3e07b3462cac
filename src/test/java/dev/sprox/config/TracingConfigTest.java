package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.telemetry.TracingConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code telemetry.tracing} block: defaults, secrets, and problems at their positions. */
class TracingConfigTest {
    private static final String LISTENER = "listeners: [{id: a, host: 127.0.0.1, port: 80}]\n";

    @TempDir
    Path dir;

    private LoadResult load(String yaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), LISTENER + yaml);
        return new ConfigLoader(Map.of("OTEL_TOKEN", "t0ken")::get).load(dir);
    }

    private List<String> problems(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(yaml)).problems().stream()
                .map(Problem::toString).map(p -> p.replace(dir.toString(), "DIR")).toList();
    }

    @Test
    void absentOrWithoutEndpointMeansOff() throws IOException {
        assertEquals(Optional.empty(), assertInstanceOf(LoadResult.Valid.class, load("")).config().tracing());
        assertEquals(Optional.empty(), assertInstanceOf(LoadResult.Valid.class,
                load("telemetry: {tracing: {sampling_ratio: 1.0}}\n")).config().tracing());
    }

    @Test
    void readsEveryKeyWithSecretHeaders() throws IOException {
        TracingConfig tracing = assertInstanceOf(LoadResult.Valid.class, load("""
                telemetry:
                  tracing:
                    endpoint: "http://127.0.0.1:4318/v1/traces"
                    headers: {Authorization: "Bearer ${env:OTEL_TOKEN}"}
                    resource_attributes: {region: eu}
                """)).config().tracing().orElseThrow();
        assertEquals(URI.create("http://127.0.0.1:4318/v1/traces"), tracing.endpoint());
        assertEquals("Bearer t0ken", tracing.headers().get("Authorization").value());
        assertEquals("REDACTED", tracing.headers().get("Authorization").toString());
        assertEquals(0.1, tracing.samplingRatio());
        assertEquals("sprox", tracing.serviceName());
        assertEquals(Map.of("region", "eu"), tracing.resourceAttributes());
        assertEquals(Duration.ofSeconds(5), tracing.exportDelay());
    }

    @Test
    void wrongValuesAreProblemsAtTheirPositions() throws IOException {
        assertEquals(List.of(
                        "DIR/routes.yaml:2:33 telemetry.tracing.endpoint: not an http(s) URL: \"udp://x\"",
                        "DIR/routes.yaml:2:60 telemetry.tracing.sampling_ratio: must be between 0.0 and 1.0, found 2.0",
                        "DIR/routes.yaml:2:65 telemetry.tracing.samplng: unknown key"),
                problems("telemetry: {tracing: {endpoint: \"udp://x\", sampling_ratio: 2.0, samplng: 1}}\n"));
    }
}
