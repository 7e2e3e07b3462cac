package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;

import dev.sprox.security.TestSecrets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sprox started from the packaged jar as a real OS process, as an operator or systemd would run it: its
 * stdout and stderr are captured line by line, its ports are read from the "listening" log lines, and
 * {@link #close} always ends it, so a failed test leaves nothing running.
 */
final class SproxProcess implements AutoCloseable {
    /** Generous, because two cores are shared with other builds; a passing run never waits this long. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

    private final Process process;
    private final LogLines stdout;
    private final LogLines stderr;

    private SproxProcess(Process process) {
        this.process = process;
        this.stdout = new LogLines("stdout", process.getInputStream());
        this.stderr = new LogLines("stderr", process.getErrorStream());
    }

    /** {@code sprox run -c DIR}, waited on until it says it started. */
    static SproxProcess run(Path configDirectory) {
        return start(Map.of(), "run", "-c", configDirectory.toString()).awaitStarted();
    }

    /**
     * Starts {@code java -jar sprox.jar ARGS}. The environment is the test's own minus {@code SPROX_CONFIG},
     * so a developer's setting cannot leak in, plus {@code environment}.
     */
    static SproxProcess start(Map<String, String> environment, String... args) {
        return start(List.of(), environment, args);
    }

    /**
     * Like {@link #start(Map, String...)} with extra JVM options, e.g. {@code -Xmx128m}; they come after the
     * defaults, so where the JVM takes the last value of an option they win.
     */
    static SproxProcess start(List<String> jvmOptions, Map<String, String> environment, String... args) {
        var command = new ArrayList<>(List.of(java(),
                // Quick start and a small footprint: the machine is shared; nothing here needs the C2 compiler. The
                // heap and collector sprox ships with (scripts/jvm-options).
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().remove("SPROX_CONFIG");
        builder.environment().putAll(environment);
        return start(builder);
    }

    /**
     * Starts {@code command} as given, e.g. a runtime image's {@code bin/sprox run -c DIR}, with exactly
     * {@code environment} and nothing of the test's own, as on a host that has no JDK and no JAVA_HOME.
     */
    static SproxProcess launch(List<String> command, Map<String, String> environment) {
        var builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return start(builder);
    }

    private static SproxProcess start(ProcessBuilder builder) {
        try {
            return new SproxProcess(builder.start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + builder.command(), e);
        }
    }

    /** Runs a command that ends by itself (validate, healthcheck, --version) and returns how it ended. */
    static Finished exec(Map<String, String> environment, String... args) {
        return finish(start(environment, args));
    }

    /** Like {@link #exec(Map, String...)} for a command started by {@link #launch}. */
    static Finished exec(List<String> command, Map<String, String> environment) {
        return finish(launch(command, environment));
    }

    private static Finished finish(SproxProcess started) {
        try (SproxProcess sprox = started) {
            int exitCode = sprox.awaitExit(TIMEOUT);
            sprox.stdout.awaitEnd(TIMEOUT);
            sprox.stderr.awaitEnd(TIMEOUT);
            return new Finished(exitCode, sprox.stdout.all(), sprox.stderr.all());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How a command ended: its exit code and every line it printed. */
    record Finished(int exitCode, List<String> stdout, List<String> stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + String.join("\n", stdout) + "\n--- stderr\n"
                    + String.join("\n", stderr);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static Path jar() {
        String jar = System.getProperty("sprox.jar");
        if (jar == null) {
            throw new AssertionError("system property sprox.jar is not set; run the ITs with maven-failsafe");
        }
        return Path.of(jar);
    }

    SproxProcess awaitStarted() {
        stdout.await(message("sprox started"), TIMEOUT);
        return this;
    }

    LogLines stdout() {
        return stdout;
    }

    LogLines stderr() {
        return stderr;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The port of the most recent "listening" line for {@code listenerId}, waiting for one if needed. */
    int port(String listenerId) {
        return portFrom(0, listenerId);
    }

    /** The port of the first "listening" line for {@code listenerId} at or after log line {@code mark}. */
    int portFrom(int mark, String listenerId) {
        stdout.awaitFrom(mark, message("listening").and(field("listener", listenerId)), TIMEOUT);
        List<String> lines = stdout.all();
        for (int i = lines.size() - 1; i >= mark; i--) {
            String line = lines.get(i);
            if (message("listening").and(field("listener", listenerId)).test(line)) {
                String address = LogLine.string(line, "address").orElseThrow();
                Matcher m = PORT.matcher(address);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                throw new AssertionError("no port in " + line);
            }
        }
        throw new AssertionError("unreachable");
    }

    /** Sends a signal with {@code kill}, as an operator or systemd would. */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes());
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " failed: " + output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sprox did not exit within " + timeout + "; stdout:\n" + stdout.text()
                    + "\nstderr:\n" + stderr.text());
        }
        return process.exitValue();
    }

    /** Ends the process if it still runs: SIGTERM first, so it can drain, then SIGKILL. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            stdout.awaitEnd(TIMEOUT);
            stderr.awaitEnd(TIMEOUT);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        TestSecrets.keep("sprox pid " + process.pid() + " stdout", stdout.all());
        TestSecrets.keep("sprox pid " + process.pid() + " stderr", stderr.all());
        TestSecrets.assertNoneIn(stdout.all(), "stdout");
        TestSecrets.assertNoneIn(stderr.all(), "stderr");
    }
}
