package dev.sprox.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:PATH}} in configuration strings, so secrets never have to be
 * written into the files. Innermost references resolve first, so {@code ${file:${env:CREDENTIALS_DIRECTORY}/pw}}
 * reads a systemd credential.
 */
final class Interpolation {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^${}]*)}");
    private static final int MAX_FILE_BYTES = 1 << 20;

    private final UnaryOperator<String> environment;
    private final Path baseDirectory;

    Interpolation(UnaryOperator<String> environment, Path baseDirectory) {
        this.environment = environment;
        this.baseDirectory = baseDirectory;
    }

    Path baseDirectory() {
        return baseDirectory;
    }

    static boolean hasReference(String text) {
        return text.contains("${");
    }

    /** The resolved text, or a message saying which reference could not be resolved. */
    Resolved resolve(String text) {
        String current = text;
        for (Matcher m = REFERENCE.matcher(current); m.find(); m = REFERENCE.matcher(current)) {
            Optional<String> value = switch (m.group(1)) {
                case "env" -> Optional.ofNullable(environment.apply(m.group(2)));
                default -> readFile(m.group(2));
            };
            if (value.isEmpty()) {
                return new Resolved(null, m.group(1).equals("env")
                        ? "environment variable " + m.group(2) + " is not set"
                        : "cannot read file " + m.group(2));
            }
            current = current.substring(0, m.start()) + value.get() + current.substring(m.end());
        }
        return new Resolved(current, null);
    }

    private Optional<String> readFile(String name) {
        try {
            Path path = baseDirectory.resolve(name);
            if (Files.size(path) > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            String content = Files.readString(path, StandardCharsets.UTF_8);
            return Optional.of(content.endsWith("\n") ? content.stripTrailing() : content);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Exactly one of {@code value} and {@code error} is set. */
    record Resolved(String value, String error) {}
}
