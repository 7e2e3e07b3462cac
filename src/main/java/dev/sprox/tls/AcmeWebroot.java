package dev.sprox.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory an external ACME client (certbot, lego) writes HTTP-01 challenge files into, and the only way
 * sprox reads them back. A token is one base64url word (RFC 8555 §8.3), so anything else — dots, slashes,
 * percent-encodings — is refused before the file system is touched: no traversal is possible.
 */
public final class AcmeWebroot {

    public static final String CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final int MAX_CHALLENGE_BYTES = 4096;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Logger LOG = LoggerFactory.getLogger(AcmeWebroot.class);

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

    /**
     * The content of the challenge file for {@code requestPath}, when the path names a valid token that has a
     * plain file. Opened component by component below the webroot ({@code .well-known}, {@code acme-challenge},
     * the token) with {@code openat} and {@code O_NOFOLLOW} ({@link SecureDirectoryStream}), so a symbolic link
     * anywhere under the webroot, a directory as much as the file, is never followed, and nothing can swap one in
     * between a check and the open. The webroot itself is the operator's and may be a link.
     */
    public static Optional<String> challenge(Path webroot, String requestPath) {
        if (!requestPath.startsWith(CHALLENGE_PREFIX)) {
            return Optional.empty();
        }
        String token = requestPath.substring(CHALLENGE_PREFIX.length());
        if (!TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> root = Files.newDirectoryStream(webroot)) {
            // Linux (and every Unix with openat) gives a secure stream; without one, refuse rather than follow.
            if (!(root instanceof SecureDirectoryStream<Path> secure)) {
                LOG.warn("the file system cannot open ACME challenges without following links; refusing them");
                return Optional.empty();
            }
            try (SecureDirectoryStream<Path> wellKnown = secure.newDirectoryStream(Path.of(".well-known"), NOFOLLOW);
                 SecureDirectoryStream<Path> challenges = wellKnown.newDirectoryStream(Path.of("acme-challenge"),
                         NOFOLLOW)) {
                Path file = Path.of(token);
                // A FIFO or device would block or never end the read; the ACME client writes plain files.
                if (!challenges.getFileAttributeView(file, BasicFileAttributeView.class, NOFOLLOW).readAttributes()
                        .isRegularFile()) {
                    return Optional.empty();
                }
                try (SeekableByteChannel channel = challenges.newByteChannel(file,
                        Set.of(StandardOpenOption.READ, NOFOLLOW))) {
                    return read(channel);
                }
            }
        } catch (IOException e) {
            // Missing, a link (ELOOP), not a directory: all mean there is no such challenge.
            LOG.debug("no ACME challenge for {}: {}", token, e.toString());
            return Optional.empty();
        }
    }

    /** A key authorisation is a token, a dot and a thumbprint: well under {@link #MAX_CHALLENGE_BYTES}. */
    private static Optional<String> read(SeekableByteChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_CHALLENGE_BYTES + 1);
        int read;
        do {
            read = channel.read(buffer);
        } while (read >= 0 && buffer.hasRemaining());
        if (!buffer.hasRemaining()) {
            return Optional.empty();
        }
        return Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
    }

    private static Path challenges(Path webroot) {
        return webroot.resolve(".well-known").resolve("acme-challenge");
    }
}
