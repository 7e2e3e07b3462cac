package dev.sprox.cli;

import dev.sprox.config.ConfigLoader;
import dev.sprox.config.LoadResult;
import dev.sprox.runtime.ConfigSource;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Check a configuration exactly as 'run' would load it, without binding anything. "
                + "Prints every problem as file:line:column path: message; exit 0 valid, 1 invalid.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigSource source = ConfigSource.resolve(config.location, System::getenv);
        if (source.location().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "nothing to validate: give -c DIR or set " + ConfigSource.ENV_VARIABLE);
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        return switch (new ConfigLoader(System::getenv).load(source.location().get())) {
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
