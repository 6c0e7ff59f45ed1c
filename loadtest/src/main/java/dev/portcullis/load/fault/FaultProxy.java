package dev.portcullis.load.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy for fault scenarios: listens on 127.0.0.1 and forwards each connection to a target
 * port, or misbehaves as told. The mode applies to connections from the moment it is set:
 * <ul>
 * <li>{@link Mode#pass()}: bytes flow both ways untouched;</li>
 * <li>{@link Mode#delay(long)}: every chunk read from either side waits that many milliseconds before it is
 * written on;</li>
 * <li>{@link Mode#stall()}: connections are accepted and held, nothing is forwarded (a peer that hangs);</li>
 * <li>{@link Mode#reset()}: new and open connections are closed with a TCP RST.</li>
 * </ul>
 * At most {@code maxConnections} connections are served at a time (two pump threads each); more are reset
 * at once. {@link #close()} stops the listener and every connection.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with traffic. */
    public record Mode(Kind kind, long delayMillis) {

        public enum Kind { PASS, DELAY, STALL, RESET }

        public static Mode pass() {
            return new Mode(Kind.PASS, 0);
        }

        public static Mode delay(long millis) {
            if (millis <= 0 || millis > 60_000) {
                throw new IllegalArgumentException("delay must be between 1 and 60000 ms, was " + millis);
            }
            return new Mode(Kind.DELAY, millis);
        }

        public static Mode stall() {
            return new Mode(Kind.STALL, 0);
        }

        public static Mode reset() {
            return new Mode(Kind.RESET, 0);
        }
    }

    private final ServerSocket listener;
    private final int targetPort;
    private final int maxConnections;
    private final ExecutorService pumps;
    private final Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.pass();
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener, int targetPort, int maxConnections) {
        this.listener = listener;
        this.targetPort = targetPort;
        this.maxConnections = maxConnections;
        this.pumps = new ThreadPoolExecutor(0, 2 * maxConnections, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-pump");
            thread.setDaemon(true);
            return thread;
        });
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Starts a proxy on {@code 127.0.0.1:listenPort} (0 picks a free port) forwarding to
     * {@code 127.0.0.1:targetPort}.
     */
    public static FaultProxy start(int listenPort, int targetPort, int maxConnections) throws IOException {
        if (maxConnections < 1 || maxConnections > 256) {
            throw new IllegalArgumentException("maxConnections must be between 1 and 256");
        }
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 50);
        FaultProxy proxy = new FaultProxy(listener, targetPort, maxConnections);
        proxy.acceptor.start();
        return proxy;
    }

    public int port() {
        return listener.getLocalPort();
    }

    public Mode mode() {
        return mode;
    }

    /** Switches the mode; {@link Mode#reset()} also resets every open connection. */
    public void mode(Mode mode) {
        this.mode = mode;
        if (mode.kind() == Mode.Kind.RESET) {
            open.forEach(this::reset);
        }
    }

    /** Connections currently held (accepted and not yet closed), on either side. */
    public int openConnections() {
        return open.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Mode now = mode;
            if (now.kind() == Mode.Kind.RESET || open.size() >= 2 * maxConnections) {
                reset(client);
                continue;
            }
            open.add(client);
            if (now.kind() == Mode.Kind.STALL) {
                continue; // held open, never read from, never forwarded
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                open.add(upstream);
                pumps.execute(() -> pump(client, upstream));
                pumps.execute(() -> pump(upstream, client));
            } catch (IOException | RejectedExecutionException e) {
                reset(client);
                reset(upstream);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while (!closed && (read = in.read(buffer)) >= 0) {
                Mode now = mode;
                if (now.kind() == Mode.Kind.RESET) {
                    break;
                }
                if (now.kind() == Mode.Kind.STALL) {
                    // A stall that starts mid-connection swallows what arrives from here on.
                    continue;
                }
                if (now.kind() == Mode.Kind.DELAY) {
                    Thread.sleep(now.delayMillis());
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // one side closed or was reset: end both below
        } finally {
            if (mode.kind() == Mode.Kind.RESET || closed) {
                reset(from);
                reset(to);
            } else {
                quietClose(from);
                quietClose(to);
            }
        }
    }

    private void reset(Socket socket) {
        try {
            if (!socket.isClosed()) {
                socket.setSoLinger(true, 0); // close with RST
            }
        } catch (SocketException ignored) {
            // already gone
        }
        quietClose(socket);
    }

    private void quietClose(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.forEach(this::reset);
        pumps.shutdownNow();
        try {
            acceptor.join(2_000);
            pumps.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
