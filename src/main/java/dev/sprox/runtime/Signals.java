package dev.sprox.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The operator's signals: HUP reloads, TERM and INT drain and exit 0. A second TERM or INT while draining
 * exits at once, for an operator who will not wait.
 */
public final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    public static void install(Sprox sprox) {
        Signal.handle(new Signal("HUP"), signal -> Thread.ofVirtual().start(() -> {
            LOG.info("SIGHUP received; reloading configuration");
            sprox.reload();
        }));
        var stopping = new AtomicBoolean();
        Signal.handle(new Signal("TERM"), signal -> stop(sprox, stopping, "TERM"));
        Signal.handle(new Signal("INT"), signal -> stop(sprox, stopping, "INT"));
    }

    private static void stop(Sprox sprox, AtomicBoolean stopping, String name) {
        if (!stopping.compareAndSet(false, true)) {
            LOG.warn("second SIG{} while draining; exiting now", name);
            Runtime.getRuntime().halt(1);
        }
        LOG.info("SIG{} received; shutting down", name);
        Thread.ofPlatform().name("sprox-shutdown").start(() -> {
            sprox.drain();
            System.exit(0);
        });
    }
}
