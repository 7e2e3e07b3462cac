package dev.sprox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sprox}: exit codes are 0 for success, 1 for an invalid configuration or a failed check, 2 for misuse. */
@Command(name = "sprox", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Streaming edge proxy for HTTP video.",
        subcommands = {RunCommand.class, ValidateCommand.class, HealthcheckCommand.class})
public final class Main implements Runnable {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Read once, when the JDK's HTTP client first loads; an operator's own -D setting wins. */
    private static final String CLIENT_BUFFER = "jdk.httpclient.bufsize";

    public static void main(String[] args) {
        // The client's default 16 KiB read buffer made sprox spend twice nginx's CPU per proxied byte;
        // at 256 KiB it matches nginx (scripts/bench, proxy scenario).
        if (System.getProperty(CLIENT_BUFFER) == null) {
            System.setProperty(CLIENT_BUFFER, String.valueOf(256 * 1024));
        }
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
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run, validate or healthcheck");
    }
}
