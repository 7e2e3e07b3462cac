package dev.sprox.cli;

import dev.sprox.config.ConfigLoader;
import dev.sprox.config.LoadResult;
import dev.sprox.direct.DirectCredentials;
import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.direct.SignedUrls;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestRejected;
import dev.sprox.runtime.ConfigSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "sign-url", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Print a signed direct-stream URL that opens exactly one destination, with exactly these "
                + "header overrides, until it expires. Signs with direct_stream.signing_secret and refuses "
                + "without one: a running sprox would not know the key.")
final class SignUrlCommand implements Callable<Integer> {
    private static final Pattern TTL = Pattern.compile("(\\d{1,9})([smhd]?)");

    @Mixin
    ConfigOption config;

    @Option(names = "--destination", required = true, paramLabel = "URL",
            description = "The absolute http(s) URL the signed URL fetches")
    String destination;

    @Option(names = "--header", paramLabel = "NAME=VALUE",
            description = "A header override (h_NAME), repeatable; only the direct endpoints' allowed headers")
    List<String> headers = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION",
            description = "How long it stays valid: 90s, 30m, 1h, 7d or plain seconds. "
                    + "Default: direct_stream.signed_url_ttl_s")
    String ttl;

    @Option(names = "--base", paramLabel = "URL",
            description = "Where players reach sprox, e.g. https://sprox.example; default: print the path only")
    String base;

    @Option(names = "--endpoint", paramLabel = "stream|manifest|mpd|mpd_hls",
            description = "Default: manifest for a .m3u8/.m3u destination, mpd for a .mpd, else stream")
    String endpoint;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigSource source = ConfigSource.resolve(config.location, System::getenv);
        if (source.location().isEmpty()) {
            throw usage("no configuration to sign with: give -c DIR or set " + ConfigSource.ENV_VARIABLE);
        }
        var err = spec.commandLine().getErr();
        LoadResult result = new ConfigLoader(System::getenv).load(source.location().get());
        if (result instanceof LoadResult.Invalid invalid) {
            invalid.problems().forEach(err::println);
            err.println(invalid.problems().size() + " problem(s); configuration is not valid");
            return Main.FAILED;
        }
        DirectStreamConfig direct = ((LoadResult.Valid) result).config().directStream();
        if (direct.signingSecret().isEmpty()) {
            err.println("sprox: direct_stream.signing_secret is not configured; without it each sprox process signs"
                    + " with a random key of its own, so mint with GET /admin/sign-url on the running server instead");
            return Main.FAILED;
        }
        Duration validFor = ttl == null ? direct.signedUrlTtl() : ttl(ttl);
        SignedUrls.Endpoint kind = endpoint == null ? SignedUrls.Endpoint.FOR_DESTINATION
                : SignedUrls.Endpoint.named(endpoint).orElseThrow(() -> usage("--endpoint must be " + SignedUrls.Endpoint.NAMES));
        SignedUrls.Minted minted;
        try {
            minted = SignedUrls.mint(destination, overrides(), kind,
                    DirectCredentials.of(direct).signing(Instant.now(), validFor), Optional.ofNullable(base));
        } catch (RequestRejected refused) {
            throw usage(refused.detail());
        }
        spec.commandLine().getOut().println(minted.url());
        return Main.OK;
    }

    private List<QueryParameters.Parameter> overrides() {
        var parsed = new ArrayList<QueryParameters.Parameter>();
        for (String header : headers) {
            int equals = header.indexOf('=');
            if (equals <= 0) {
                throw usage("--header takes NAME=VALUE, got \"" + header + "\"");
            }
            parsed.add(new QueryParameters.Parameter(header.substring(0, equals), header.substring(equals + 1)));
        }
        return parsed;
    }

    private Duration ttl(String text) {
        Matcher matcher = TTL.matcher(text.strip());
        if (!matcher.matches()) {
            throw usage("--ttl takes a duration such as 90s, 30m, 1h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (duration.isZero() || duration.compareTo(SignedUrls.MAX_TTL) > 0) {
            throw usage("--ttl must be between 1s and " + SignedUrls.MAX_TTL.toDays() + "d");
        }
        return duration;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
