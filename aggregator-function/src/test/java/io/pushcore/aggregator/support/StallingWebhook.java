package io.pushcore.aggregator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving webhook on a plain socket on 127.0.0.1, the ways no HTTP server library misbehaves on purpose:
 * {@link Mode#HEADERS_THEN_STALL} answers {@code 200} headers with a long body and never sends it,
 * {@link Mode#DRIP} sends that body one byte a second, {@link Mode#SILENT} accepts the connection and never answers.
 * {@link #heal()} makes it answer {@code 204} at once, counting the packages it then accepts.
 */
public final class StallingWebhook implements AutoCloseable {

    public enum Mode {
        HEADERS_THEN_STALL, DRIP, SILENT, HEALED
    }

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Mode mode;

    public StallingWebhook(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.submit(this::accept);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook");
    }

    public void heal() {
        mode = Mode.HEALED;
    }

    /** Requests answered 204 since {@link #heal()}. */
    public int accepted() {
        return accepted.get();
    }

    private Void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                connections.submit(() -> serve(socket));
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    private Void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (true) {
                int length = readHead(in);
                if (length < 0) {
                    return null;
                }
                in.readNBytes(length);
                switch (mode) {
                    case SILENT -> Thread.sleep(Long.MAX_VALUE);
                    case HEADERS_THEN_STALL -> {
                        out.write(head(200, 1_000_000));
                        out.flush();
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    case DRIP -> {
                        out.write(head(200, 1_000_000));
                        while (true) {
                            out.write('x');
                            out.flush();
                            Thread.sleep(1_000);
                        }
                    }
                    case HEALED -> {
                        accepted.incrementAndGet();
                        out.write(head(204, -1));
                        out.flush();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static byte[] head(int status, long length) {
        return ("HTTP/1.1 " + status + " X\r\n" + (length >= 0 ? "content-length: " + length + "\r\n" : "")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads a request head; returns its content-length, or -1 at the end of the stream. */
    private static int readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                for (String line : head.toString().split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        return Integer.parseInt(line.substring(15).trim());
                    }
                }
                return 0;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
        connections.shutdownNow();
    }
}
