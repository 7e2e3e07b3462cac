package dev.sprox.upstream;

import dev.sprox.testing.ExternalProgram;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real SOCKS5 server for tests: Debian's {@code microsocks}, on 127.0.0.1 and a free port. */
final class Microsocks implements AutoCloseable {
    private final Process process;
    private final int port;

    private Microsocks(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Without authentication, or with {@code -u user -P password} when both are given. */
    static Microsocks start(String user, String password) throws IOException, InterruptedException {
        Path binary = ExternalProgram.locate("microsocks", "microsocks");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-i", "127.0.0.1", "-p",
                String.valueOf(port)));
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", password));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        var socks = new Microsocks(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try (var probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return socks;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    socks.close();
                    throw new IllegalStateException("microsocks did not start listening on 127.0.0.1:" + port
                            + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")"));
                }
                Thread.sleep(20);
            }
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
