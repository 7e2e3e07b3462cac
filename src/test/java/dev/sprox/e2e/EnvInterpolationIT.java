package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ${env:NAME}} in configuration values comes from the environment of the sprox process itself. */
class EnvInterpolationIT {
    private static final String FROM_ENVIRONMENT = """
            listeners:
              - id: ${env:SPROX_TEST_LISTENER_ID}
                host: 127.0.0.1
                port: ${env:SPROX_TEST_PORT}
                serve: [ops]
            routes: []
            """;

    @TempDir
    Path config;

    @Test
    void runResolvesReferencesFromItsEnvironment() {
        Configs.routes(config, FROM_ENVIRONMENT);
        int port = Configs.freePort();
        var environment = Map.of("SPROX_TEST_LISTENER_ID", "edge-7", "SPROX_TEST_PORT", String.valueOf(port));

        try (SproxProcess sprox = SproxProcess.start(environment, "run", "-c", config.toString()).awaitStarted()) {
            String listening = sprox.stdout().await(message("listening"), SproxProcess.TIMEOUT);
            assertEquals("edge-7", LogLine.string(listening, "listener").orElseThrow(), listening);
            assertEquals(port, sprox.port("edge-7"));
            assertEquals(200, RawHttp.get(port, "/health").status());
            RawHttp.get(port, "/ip", "X-Request-Id", "env-check");
            sprox.stdout().await(field("request_id", "env-check").and(field("listener", "edge-7")),
                    SproxProcess.TIMEOUT);
        }
    }

    @Test
    void anUnsetVariableIsAProblemThatNamesIt() {
        Path routes = Configs.routes(config, FROM_ENVIRONMENT);
        var onlyTheId = Map.of("SPROX_TEST_LISTENER_ID", "edge-7");
        String problem = routes + ":4:11 listeners[0].port: environment variable SPROX_TEST_PORT is not set";

        SproxProcess.Finished validate = SproxProcess.exec(onlyTheId, "validate", "-c", config.toString());
        SproxProcess.Finished run = SproxProcess.exec(onlyTheId, "run", "-c", config.toString());

        assertEquals(1, validate.exitCode(), validate::toString);
        assertEquals(problem, validate.stderr().getFirst(), validate::toString);
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(problem, run.stderr().getFirst(), run::toString);
        assertEquals(List.of(), run.stdout().stream().filter(message("listening")).toList());
    }
}
