package dev.sprox.cli;

import dev.sprox.probe.Probe;
import dev.sprox.probe.ProbeReport;
import dev.sprox.probe.ReportFormat;
import dev.sprox.probe.VariantChoice;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Synthetic HLS playback: master playlist, one variant, its first and last segments, keys and "
                + "init sections, and for live streams that the playlist advances. Exit 0 playable, 1 not.")
final class ProbeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "URL", description = "Master (multivariant) or media playlist URL")
    URI url;

    @Option(names = "--via", paramLabel = "PROXY",
            description = "http(s)://host:port to send every request to instead, path and query unchanged "
                    + "(e.g. a sprox listener whose route proxies to the URL's origin)")
    URI via;

    @Option(names = "--variant", defaultValue = "highest",
            description = "highest or lowest BANDWIDTH, or a 1-based position in the master playlist. Default: ${DEFAULT-VALUE}")
    String variant;

    @Option(names = "--segments", paramLabel = "N", defaultValue = "3",
            description = "Segments fetched from the start and from the end. Default: ${DEFAULT-VALUE}")
    int segments;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
            description = "Seconds per request. Default: ${DEFAULT-VALUE}")
    double timeoutSeconds;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json")
    OutputFormat format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        requireUsable();
        VariantChoice choice;
        try {
            choice = VariantChoice.parse(variant);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ProbeReport report = Probe.run(url, Optional.ofNullable(via), choice, segments,
                Duration.ofMillis((long) (timeoutSeconds * 1000)));
        var out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            out.println(ReportFormat.json(report));
        } else {
            out.print(ReportFormat.text(report));
        }
        out.flush();
        return report.playable() ? Main.OK : Main.FAILED;
    }

    private void requireUsable() {
        if (!isHttp(url)) {
            throw usage("URL must be an absolute http(s) URL");
        }
        if (via != null && (!isHttp(via) || !(via.getRawPath() == null || via.getRawPath().isEmpty()
                || via.getRawPath().equals("/")) || via.getRawQuery() != null)) {
            throw usage("--via must be http(s)://host:port, without a path: request paths are kept as they are");
        }
        if (segments < 1 || timeoutSeconds <= 0) {
            throw usage("--segments must be at least 1 and --timeout positive");
        }
    }

    private static boolean isHttp(URI uri) {
        return uri.isAbsolute() && uri.getHost() != null
                && (uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
