package dev.colosseum.battle;

import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** Daemon threads named {@code name-N}, for the service's own pools: they never keep the JVM from stopping. */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName(name + "-" + t.getId());
            t.setDaemon(true);
            return t;
        };
    }
}
