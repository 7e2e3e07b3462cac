package dev.sprox.cli;

import dev.sprox.config.ConfigLoader;
import dev.sprox.config.LoadResult;
import dev.sprox.runtime.ConfigSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Check a configuration exactly as 'run' would load it, without binding anything. "
                + "Prints every problem as file:line:column path: message; exit 0 valid, 1 invalid.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--format", defaultValue = "text",
            description = "text (default) or json: one JSON object on stdout, problems included")
    OutputFormat format;

    @Option(names = "--print",
            description = "When valid, print the resolved configuration as YAML (secrets masked) instead of a summary")
    boolean print;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigSource source = ConfigSource.resolve(config.location, System::getenv);
        if (source.location().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to validate: give -c DIR or set " + ConfigSource.ENV_VARIABLE);
        }
        if (print && format == OutputFormat.json) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--print writes YAML; it cannot be --format json");
        }
        LoadResult result = new ConfigLoader(System::getenv).load(source.location().get());
        if (format == OutputFormat.json) {
            spec.commandLine().getOut().println(ValidationJson.of(result));
            return result instanceof LoadResult.Valid ? Main.OK : Main.FAILED;
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        return switch (result) {
            case LoadResult.Valid valid when print -> {
                out.print(ConfigDump.yaml(valid.config()));
                out.flush(); // picocli's writer flushes on println only, and main() exits right after
                yield Main.OK;
            }
            case LoadResult.Valid valid -> {
                out.println("configuration " + valid.config().origin() + " is valid: "
                        + valid.config().listeners().size() + " listener(s), "
                        + valid.config().routes().size() + " route(s)");
                yield Main.OK;
            }
            case LoadResult.Invalid invalid -> {
                invalid.problems().forEach(err::println);
                err.println(invalid.problems().size() + " problem(s); configuration is not valid");
                yield Main.FAILED;
            }
        };
    }
}
