package dev.sprox.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -c DIR}, shared by the commands that read a configuration. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "DIR",
            description = "Configuration directory (routes.yaml, listeners/*.yaml) or file. "
                    + "Default: $SPROX_CONFIG, else the embedded default.")
    Path location;
}
