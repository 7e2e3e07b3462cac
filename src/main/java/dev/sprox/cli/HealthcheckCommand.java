package dev.sprox.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "healthcheck", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "GET a health URL; exit 0 on a 2xx answer, 1 otherwise. Prints nothing on success.")
final class HealthcheckCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/health", description = "Default: ${DEFAULT-VALUE}")
    URI url;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "5", description = "Seconds. Default: ${DEFAULT-VALUE}")
    double timeoutSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (timeoutSeconds <= 0 || url.getScheme() == null || !url.getScheme().startsWith("http")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--url must be an http(s) URL and --timeout positive");
        }
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        var err = spec.commandLine().getErr();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return Main.OK;
            }
            err.println("health endpoint " + url + " returned status " + response.statusCode());
        } catch (IOException e) {
            err.println("failed to reach health endpoint at " + url + ": " + e);
        }
        return Main.FAILED;
    }
}
