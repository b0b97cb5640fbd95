package dev.colosseum.bench.battle;

import dev.colosseum.battle.BattleEvent;
import dev.colosseum.battle.ChatMessage;
import dev.colosseum.battle.SimProfile;
import dev.colosseum.battle.Side;
import dev.colosseum.battle.provider.SimulatedEngine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The floor for the benchmark client: the simulated provider served over loopback HTTP by the thinnest server
 * possible (blocking sockets, a thread per connection), speaking the same two requests as battle-service
 * ({@code POST /api/v1/battles} starts both replays, {@code GET /api/v1/battles/{id}/events} streams them as SSE).
 * Reading it with the benchmark's client shows what the client and loopback cost on their own.
 */
final class WireServer implements AutoCloseable {
    private static final Pattern SEED = Pattern.compile("\"seed\"\\s*:\\s*(\\d+)");
    private static final String PROMPT = "Explain how a hash map handles collisions, with an example.";

    private final SimProfile profile;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wire-server");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);
    private final Map<String, BlockingQueue<String>> streams = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(0xa000);
    private volatile boolean closed;

    WireServer(SimProfile profile) throws IOException {
        this.profile = profile;
        this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        pool.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                pool.execute(() -> handle(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("wire server: " + e);
                }
            }
        }
    }

    /** Requests on one kept-alive connection until the client closes it; an event stream closes it when done. */
    private void handle(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                String requestLine = line(in);
                if (requestLine.isEmpty()) {
                    return;
                }
                int length = 0;
                boolean close = false;
                for (String h = line(in); !h.isEmpty(); h = line(in)) {
                    String lower = h.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                }
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                String[] parts = requestLine.split(" ");
                if (parts[0].equals("POST")) {
                    String id = start(body);
                    String json = "{\"battle_id\":\"" + id + "\"}";
                    out.write(("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
                            + "\r\n\r\n" + json).getBytes(StandardCharsets.US_ASCII));
                } else if (parts[0].equals("GET")) {
                    stream(parts[1].split("/")[4], out);
                    return;
                } else {
                    streams.remove(parts[1].substring(parts[1].lastIndexOf('/') + 1));
                    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!closed) {
                System.err.println("wire server: " + e);
            }
        }
    }

    /** Both sides start replaying now, exactly as battle-service does when it handles the POST. */
    private String start(String body) {
        Matcher m = SEED.matcher(body);
        long seed = m.find() ? Long.parseLong(m.group(1)) : 0;
        String id = Long.toHexString(ids.incrementAndGet());
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        streams.put(id, queue);
        AtomicInteger open = new AtomicInteger(2);
        for (int side = 0; side < 2; side++) {
            Side s = Side.values()[side];
            SimulatedEngine.Plan plan = SimulatedEngine.plan(side == 0 ? "bench-a" : "bench-b", profile,
                    List.of(ChatMessage.user(PROMPT)), seed + side * 7919L + 1);
            SimulatedEngine.replay(plan, scheduler, System.nanoTime(), new SimulatedEngine.Sink() {
                @Override
                public void delta(String piece) {
                    queue.add(BattleEvent.delta(s, 1, piece).sseFrame());
                }

                @Override
                public void complete() {
                    if (open.decrementAndGet() == 0) {
                        queue.add(BattleEvent.turnComplete(1, true).sseFrame());
                    }
                }

                @Override
                public void fail(String message) {
                    complete();
                }
            });
        }
        return id;
    }

    /** Writes everything queued since the last write in one write, until turn_complete. */
    private void stream(String id, OutputStream out) throws IOException, InterruptedException {
        BlockingQueue<String> queue = streams.get(id);
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        boolean done = false;
        StringBuilder batch = new StringBuilder();
        while (!done) {
            batch.setLength(0);
            String f = queue.take();
            do {
                batch.append(f);
                done |= f.contains("\"turn_complete\"");
            } while ((f = queue.poll()) != null);
            out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        scheduler.shutdownNow();
        pool.shutdownNow();
    }
}
