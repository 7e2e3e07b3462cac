package dev.sprox.cli;

import dev.sprox.runtime.ConfigSource;
import dev.sprox.runtime.Signals;
import dev.sprox.runtime.Sprox;
import dev.sprox.runtime.StartupFailed;
import dev.sprox.telemetry.Logging;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Run sprox until SIGTERM or SIGINT; SIGHUP reloads the configuration.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        Logging.install();
        Sprox sprox;
        try {
            sprox = Sprox.start(ConfigSource.resolve(config.location, System::getenv), Version.current());
        } catch (StartupFailed e) {
            e.problems().forEach(System.err::println);
            System.err.println("sprox: not started");
            return Main.FAILED;
        }
        Signals.install(sprox);
        if (ProcessHandle.current().info().user().filter("root"::equals).isPresent()) {
            LoggerFactory.getLogger(RunCommand.class).warn("running as root: give sprox its own unprivileged user"
                    + " (the systemd unit uses DynamicUser) and CAP_NET_BIND_SERVICE for ports below 1024");
        }
        // Announced only now: a supervisor that signals on this line finds the handlers in place.
        LoggerFactory.getLogger(RunCommand.class).atInfo().addKeyValue("version", Version.current())
                .addKeyValue("config", sprox.snapshot().config().origin())
                .addKeyValue("config_generation", sprox.snapshot().generation()).log("sprox started");
        Thread.currentThread().join();
        return Main.OK;
    }
}
