package dev.sprox.cli;

import dev.sprox.config.ConfigLoader;
import dev.sprox.config.LoadResult;
import dev.sprox.direct.Decryption;
import dev.sprox.direct.DirectCredentials;
import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.direct.SignedUrls;
import dev.sprox.direct.UrlSigning;
import dev.sprox.drm.ContentKey;
import dev.sprox.drm.KeyToken;
import dev.sprox.drm.Kid;
import dev.sprox.drm.LicenceUrls;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestRejected;
import dev.sprox.runtime.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    @Option(names = "--decrypt", description = "An HLS playlist (--endpoint manifest or mpd_hls) whose init segments"
            + " and segments sprox decrypts for players without DRM, with the keys it holds")
    boolean decrypt;

    @Option(names = "--keys-file", paramLabel = "FILE",
            description = "With --decrypt: content keys to seal into the URL (AES-GCM under a key derived from the"
                    + " signing secret), one KID:KEY per line, each as 32 hex digits (a KID also as a UUID)")
    Path keysFile;

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
        if (keysFile != null && !decrypt) {
            throw usage("--keys-file goes with --decrypt");
        }
        UrlSigning signing = DirectCredentials.of(direct).signing(Instant.now(), validFor);
        Decryption decryption = !decrypt ? Decryption.NONE : Decryption.playlist(keysFile == null ? Optional.empty()
                : Optional.of(sealed(signing)));
        SignedUrls.Minted minted;
        try {
            minted = SignedUrls.mint(destination, overrides(), kind, decryption, signing, Optional.ofNullable(base));
        } catch (RequestRejected refused) {
            throw usage(refused.detail());
        }
        spec.commandLine().getOut().println(minted.url());
        return Main.OK;
    }

    /** The keys of {@link #keysFile}, sealed for as long as the URL lasts; each key wiped once sealed. */
    private String sealed(UrlSigning signing) {
        List<String> lines;
        try {
            lines = Files.readAllLines(keysFile);
        } catch (IOException e) {
            throw usage("cannot read --keys-file: " + e.getMessage());
        }
        var keys = new LinkedHashMap<Kid, ContentKey>();
        try {
            int number = 0;
            for (String line : lines) {
                number++;
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                Optional<Kid> kid = colon < 0 ? Optional.empty() : Kid.parse(line.substring(0, colon));
                Optional<ContentKey> key = colon < 0 ? Optional.empty() : ContentKey.parse(line.substring(colon + 1));
                if (kid.isEmpty() || key.isEmpty()) {
                    key.ifPresent(ContentKey::close);
                    throw usage("--keys-file line " + number + " is not KID:KEY");
                }
                ContentKey previous = keys.put(kid.get(), key.get());
                if (previous != null) {
                    previous.close();
                }
            }
            if (keys.isEmpty() || keys.size() > LicenceUrls.MAX_KIDS) {
                throw usage("--keys-file must hold 1 to " + LicenceUrls.MAX_KIDS + " keys");
            }
            return KeyToken.seal(keys, signing.signer(), signing.expiresEpochSecond());
        } finally {
            keys.values().forEach(ContentKey::close);
        }
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
