package dev.colosseum.bench.battle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The benchmark client's reading side: one thread reads every open event stream through a selector, so a token
 * costs the client one read and no thread wake-up of its own (a blocking reader thread per stream cost a context
 * switch per token and competed with the service for the same two cores). Each read is stamped once, when it
 * returns; the stream's lines (HTTP head, chunk sizes and SSE lines alike) go to the stream's sink in order.
 */
final class SseReader implements AutoCloseable {
    /** Receives a stream's lines without their line end; returns true when the stream is complete. */
    interface LineSink {
        boolean line(String line, long arrivalNanos);
    }

    private final Selector selector;
    private final Queue<Stream> pending = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Thread thread;
    private volatile boolean running = true;

    SseReader() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::loop, "bench-sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Reads {@code channel} (request already sent) until its sink says complete; the future ends with it. */
    CompletableFuture<Void> read(SocketChannel channel, LineSink sink) throws IOException {
        channel.configureBlocking(false);
        Stream s = new Stream(channel, sink);
        pending.add(s);
        selector.wakeup();
        return s.done;
    }

    private void loop() {
        while (running) {
            try {
                selector.select();
                for (Stream s; (s = pending.poll()) != null; ) {
                    s.channel.register(selector, SelectionKey.OP_READ, s);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isReadable()) {
                        ((Stream) key.attachment()).readable(key);
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("reader: " + e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : selector.keys()) {
            k.channel().close();
        }
        selector.close();
    }

    private final class Stream {
        final SocketChannel channel;
        final LineSink sink;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] line = new byte[512];
        int length;

        Stream(SocketChannel channel, LineSink sink) {
            this.channel = channel;
            this.sink = sink;
        }

        void readable(SelectionKey key) {
            try {
                buffer.clear();
                int n = channel.read(buffer);
                long now = System.nanoTime();
                if (n < 0) {
                    finish(key, new IOException("stream closed before it was complete"));
                    return;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                        String text = new String(line, 0, end, StandardCharsets.UTF_8);
                        length = 0;
                        if (sink.line(text, now)) {
                            finish(key, null);
                            return;
                        }
                    } else {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[length++] = b;
                    }
                }
            } catch (IOException | RuntimeException e) {
                finish(key, e);
            }
        }

        private void finish(SelectionKey key, Exception error) {
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (error == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(error);
            }
        }
    }
}
