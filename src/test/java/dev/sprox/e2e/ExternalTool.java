package dev.sprox.e2e;

import dev.sprox.testing.ExternalProgram;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program from the operating system that a test drives (ffmpeg, nginx), found by {@link ExternalProgram}.
 */
record ExternalTool(Path binary) {

    /** The first {@code name} on {@code PATH}, then in {@code /usr/sbin} (where Debian puts nginx). */
    static ExternalTool require(String name, String debianPackage) {
        return new ExternalTool(ExternalProgram.locate(name, debianPackage));
    }

    /** How a run ended: its exit code and everything it printed, both streams together. */
    record Finished(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output;
        }
    }

    /** Runs the tool to completion; one that outlives {@code timeout} is killed and fails the test. */
    Finished run(Duration timeout, String... args) {
        Process process = start(ProcessBuilder.Redirect.PIPE, args);
        LogLines output = new LogLines(binary.getFileName().toString(), process.getInputStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(binary + " did not finish within " + timeout + "; output:\n" + output.text());
            }
            output.awaitEnd(SproxProcess.TIMEOUT);
            return new Finished(process.exitValue(), output.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts the tool with stdin closed and stderr merged into stdout, which goes to {@code output}. */
    Process start(ProcessBuilder.Redirect output, String... args) {
        var command = new ArrayList<String>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }
}
