package dev.sprox.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a program from the operating system that a test runs (openssl, ffmpeg, nginx, microsocks). A missing one
 * fails the test with one line naming the program and its Debian package, rather than skipping it, so a run
 * cannot pass by silently testing nothing; {@code scripts/test} installs them all.
 */
public final class ExternalProgram {

    private ExternalProgram() {}

    /** The first {@code name} on {@code PATH}, then in {@code /usr/sbin} (where Debian puts nginx). */
    public static Path locate(String name, String debianPackage) {
        var directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.add("/usr/sbin");
        for (String directory : directories) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed; this test runs it: apt-get install " + debianPackage
                + " (scripts/test installs every program the tests need)");
    }

    /** The path of {@code openssl}, which makes the test certificates and plays TLS clients. */
    public static String openssl() {
        return locate("openssl", "openssl").toString();
    }
}
