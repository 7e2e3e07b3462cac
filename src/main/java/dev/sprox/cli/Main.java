package dev.sprox.cli;

import dev.sprox.server.SocketPolling;
import dev.sprox.upstream.ClientProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code sprox}: exit codes are 0 for success, 1 for an invalid configuration or a failed check, 2 for misuse. */
@Command(name = "sprox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Streaming edge proxy for HTTP video.",
        subcommands = {RunCommand.class, ValidateCommand.class, HealthcheckCommand.class, ProbeCommand.class,
                SignUrlCommand.class})
public final class Main implements Runnable {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ClientProperties.install();
        SocketPolling.install();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("sprox: " + e.getMessage());
                    return FAILED;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, validate, healthcheck, probe or sign-url");
    }
}
