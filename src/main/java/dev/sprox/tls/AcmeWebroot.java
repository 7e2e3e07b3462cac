package dev.sprox.tls;

import dev.sprox.config.TlsConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The directory an external ACME client (certbot, lego) writes HTTP-01 challenge files into, and the only way
 * sprox reads them back. A token is one base64url word (RFC 8555 §8.3), so anything else — dots, slashes,
 * percent-encodings — is refused before the file system is touched: no traversal is possible.
 */
public final class AcmeWebroot {

    public static final String CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private AcmeWebroot() {}

    /**
     * Creates the cache directory (owner-only, since renewed keys may land there) and the webroot's challenge
     * directory inside it, as the ACME client expects to find them.
     */
    static void prepare(TlsConfig.Acme acme) throws IOException {
        try {
            Files.createDirectories(acme.cachePath());
            Files.setPosixFilePermissions(acme.cachePath(), PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(challenges(acme.webroot()));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("tls.acme.cache_path " + acme.cachePath() + ": exists and is not a directory", e);
        } catch (IOException e) {
            throw new IOException("tls.acme.cache_path " + acme.cachePath() + ": cannot prepare it: " + e, e);
        }
    }

    /** The challenge file for {@code requestPath}, when the path names a valid token that has a file. */
    public static Optional<Path> challenge(Path webroot, String requestPath) {
        if (!requestPath.startsWith(CHALLENGE_PREFIX)) {
            return Optional.empty();
        }
        String token = requestPath.substring(CHALLENGE_PREFIX.length());
        if (!TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Path file = challenges(webroot).resolve(token);
        // A link could point anywhere; the ACME client writes plain files.
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Optional.of(file) : Optional.empty();
    }

    private static Path challenges(Path webroot) {
        return webroot.resolve(".well-known").resolve("acme-challenge");
    }
}
