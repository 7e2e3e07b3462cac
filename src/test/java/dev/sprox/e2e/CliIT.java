package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as scripts and systemd units use it: exit codes 0 (fine), 1 (invalid or unhealthy) and
 * 2 (called wrongly), and problems printed as {@code file:line:column path: message}.
 */
class CliIT {
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();
    private static final String TWO_PROBLEMS = """
            listeners:
              - id: public
                host: 127.0.0.1
                hots: 127.0.0.1
                port: 0
              - id: admin
                host: 127.0.0.1
                port: "eighty"
            routes: []
            """;

    @TempDir
    Path config;

    @Test
    void validateAcceptsAValidDirectory() {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);

        SproxProcess.Finished validate = SproxProcess.exec(NO_ENVIRONMENT, "validate", "-c", config.toString());

        assertEquals(0, validate.exitCode(), validate::toString);
        assertEquals(List.of("configuration " + config + " is valid: 2 listener(s), 0 route(s)"), validate.stdout());
        assertEquals(List.of(), validate.stderr());
    }

    @Test
    void signUrlPrintsAUrlSignedWithTheConfiguredSecretAndNothingElse() {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN
                + "direct_stream: {signing_secret: \"${env:SIGNING_SECRET}\", signed_url_ttl_s: 60}\n");

        SproxProcess.Finished signed = SproxProcess.exec(Map.of("SIGNING_SECRET", TestSecrets.API_PASSWORD),
                "sign-url", "-c", config.toString(), "--destination", "https://cdn.example.net/vod/a.ts?v=1",
                "--base", "https://sprox.example");

        assertEquals(0, signed.exitCode(), signed::toString);
        assertEquals(1, signed.stdout().size(), signed::toString);
        assertTrue(signed.stdout().getFirst().matches("https://sprox\\.example/proxy/stream/a\\.ts\\?d=https%3A%2F%2F"
                + "cdn\\.example\\.net%2Fvod%2Fa\\.ts%3Fv%3D1&exp=\\d+&sig=[A-Za-z0-9_-]{43}"),
                signed::toString);
        assertEquals(List.of(), signed.stderr());
    }

    @Test
    void signUrlRefusesWithoutASigningSecret() {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);

        SproxProcess.Finished signed = SproxProcess.exec(NO_ENVIRONMENT, "sign-url", "-c", config.toString(),
                "--destination", "https://cdn.example.net/vod/a.ts");

        assertEquals(1, signed.exitCode(), signed::toString);
        assertEquals(List.of(), signed.stdout());
    }

    @Test
    void validatePrintsEveryProblemWithFileLineAndColumn() {
        Path routes = Configs.routes(config, TWO_PROBLEMS);

        SproxProcess.Finished validate = SproxProcess.exec(NO_ENVIRONMENT, "validate", "-c", config.toString());

        assertEquals(1, validate.exitCode(), validate::toString);
        assertEquals(List.of(
                routes + ":4:5 listeners[0].hots: unknown key; did you mean \"host\"?",
                routes + ":8:11 listeners[1].port: expected an integer, found a string \"eighty\"",
                "2 problem(s); configuration is not valid"), validate.stderr());
        assertEquals(List.of(), validate.stdout());
    }

    @Test
    void validateReportsProblemsAsJsonForCi() {
        Path routes = Configs.routes(config, TWO_PROBLEMS);

        SproxProcess.Finished validate = SproxProcess.exec(NO_ENVIRONMENT, "validate", "-c", config.toString(),
                "--format", "json");

        assertEquals(1, validate.exitCode(), validate::toString);
        assertEquals(List.of("{\"valid\":false,\"problems\":["
                + "{\"file\":\"" + routes + "\",\"line\":4,\"column\":5,\"path\":\"listeners[0].hots\","
                + "\"message\":\"unknown key; did you mean \\\"host\\\"?\"},"
                + "{\"file\":\"" + routes + "\",\"line\":8,\"column\":11,\"path\":\"listeners[1].port\","
                + "\"message\":\"expected an integer, found a string \\\"eighty\\\"\"}]}"), validate.stdout());
    }

    @Test
    void validatePrintMasksASecretTakenFromTheEnvironment() {
        Configs.routes(config, """
                listeners: [{id: public, host: 127.0.0.1, port: 0}]
                routes:
                  - id: vod
                    upstream:
                      origin: http://origin.example.com
                      socks5: {address: "127.0.0.1:1080", username: edge, password: "${env:SOCKS_PASSWORD}"}
                """);

        SproxProcess.Finished validate = SproxProcess.exec(Map.of("SOCKS_PASSWORD", TestSecrets.SOCKS_PASSWORD),
                "validate", "-c", config.toString(), "--print");

        assertEquals(0, validate.exitCode(), validate::toString);
        assertTrue(validate.stdout().stream().noneMatch(l -> l.contains(TestSecrets.SOCKS_PASSWORD)), validate::toString);
        assertTrue(validate.stdout().stream().anyMatch(l -> l.strip().equals("password: REDACTED")), validate::toString);
    }

    @Test
    void validateWithoutAConfigurationIsAUsageError() {
        SproxProcess.Finished validate = SproxProcess.exec(NO_ENVIRONMENT, "validate");

        assertEquals(2, validate.exitCode(), validate::toString);
        assertEquals("nothing to validate: give -c DIR or set SPROX_CONFIG", validate.stderr().getFirst());
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        SproxProcess.Finished validate = SproxProcess.exec(NO_ENVIRONMENT, "validate", "--no-such-option");

        assertEquals(2, validate.exitCode(), validate::toString);
        assertEquals("Unknown option: '--no-such-option'", validate.stderr().getFirst());
    }

    @Test
    void validateReadsSproxConfigAndDashCTakesPrecedence(@TempDir Path broken) {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);
        Configs.routes(broken, TWO_PROBLEMS);

        SproxProcess.Finished fromEnvironment = SproxProcess.exec(Map.of("SPROX_CONFIG", config.toString()),
                "validate");
        SproxProcess.Finished fromOption = SproxProcess.exec(Map.of("SPROX_CONFIG", broken.toString()),
                "validate", "-c", config.toString());

        assertEquals(0, fromEnvironment.exitCode(), fromEnvironment::toString);
        assertEquals(List.of("configuration " + config + " is valid: 2 listener(s), 0 route(s)"),
                fromEnvironment.stdout());
        assertEquals(0, fromOption.exitCode(), fromOption::toString);
    }

    @Test
    void runReadsSproxConfigAndHealthcheckProbesIt() {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);

        try (SproxProcess sprox = SproxProcess.start(Map.of("SPROX_CONFIG", config.toString()), "run")) {
            String started = sprox.awaitStarted().stdout().await(message("sprox started"), SproxProcess.TIMEOUT);
            assertTrue(field("config", config.toString()).test(started), started);
            int port = sprox.port("public");

            SproxProcess.Finished healthy = SproxProcess.exec(NO_ENVIRONMENT,
                    "healthcheck", "--url", "http://127.0.0.1:" + port + "/health");
            SproxProcess.Finished notFound = SproxProcess.exec(NO_ENVIRONMENT,
                    "healthcheck", "--url", "http://127.0.0.1:" + port + "/metrics");

            assertEquals(0, healthy.exitCode(), healthy::toString);
            assertEquals(List.of(), healthy.stdout());
            assertEquals(List.of(), healthy.stderr());
            assertEquals(1, notFound.exitCode(), notFound::toString);
            assertEquals(List.of("health endpoint http://127.0.0.1:" + port + "/metrics returned status 404"),
                    notFound.stderr());
        }
    }

    @Test
    void healthcheckFailsWhenNothingListens() {
        String url = "http://127.0.0.1:" + Configs.freePort() + "/health";

        SproxProcess.Finished check = SproxProcess.exec(NO_ENVIRONMENT, "healthcheck", "--url", url, "--timeout", "2");

        assertEquals(1, check.exitCode(), check::toString);
        assertTrue(check.stderr().getFirst().startsWith("failed to reach health endpoint at " + url + ": "),
                check::toString);
    }

    @Test
    void versionNamesTheBuiltVersion() {
        SproxProcess.Finished version = SproxProcess.exec(NO_ENVIRONMENT, "--version");

        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.stdout().getFirst().startsWith("sprox 0.1.0-SNAPSHOT"), version::toString);
    }

    @Test
    void runWithAnInvalidConfigurationExitsOneAndBindsNothing() {
        int port = Configs.freePort();
        Path routes = Configs.routes(config, TWO_PROBLEMS.replace("port: 0", "port: " + port));

        SproxProcess.Finished run = SproxProcess.exec(NO_ENVIRONMENT, "run", "-c", config.toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(List.of(
                routes + ":4:5 listeners[0].hots: unknown key; did you mean \"host\"?",
                routes + ":8:11 listeners[1].port: expected an integer, found a string \"eighty\"",
                "sprox: not started"), run.stderr());
        assertTrue(run.stdout().stream().noneMatch(message("listening").or(message("sprox started"))),
                run::toString);
        assertTrue(RawHttp.refuses(port));
    }
}
