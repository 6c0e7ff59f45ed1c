package dev.portcullis.load.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a loopback echo server: each mode does what it says, and only that. */
class FaultProxyTest {

    private ServerSocket echo;
    private Thread echoThread;
    private final AtomicInteger bytesAtTarget = new AtomicInteger();
    private FaultProxy proxy;

    @BeforeEach
    void echoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread serve = new Thread(() -> {
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            byte[] buffer = new byte[1024];
                            int read;
                            while ((read = in.read(buffer)) >= 0) {
                                bytesAtTarget.addAndGet(read);
                                out.write(buffer, 0, read);
                                out.flush();
                            }
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                    serve.setDaemon(true);
                    serve.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        echoThread.setDaemon(true);
        echoThread.start();
        proxy = FaultProxy.start(0, echo.getLocalPort(), 8);
    }

    @AfterEach
    void close() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void passForwardsBothWays() throws IOException {
        try (Socket client = connect()) {
            assertArrayEquals(bytes("hello"), roundTrip(client, "hello", 2_000));
        }
    }

    @Test
    void delayHoldsEachDirection() throws IOException {
        proxy.mode(FaultProxy.Mode.delay(300));
        try (Socket client = connect()) {
            long started = System.nanoTime();
            assertArrayEquals(bytes("slow"), roundTrip(client, "slow", 5_000));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 600, "a round trip through a 300 ms delay each way took " + millis + " ms");
        }
    }

    @Test
    void stallAcceptsButNeverForwards() throws IOException {
        proxy.mode(FaultProxy.Mode.stall());
        try (Socket client = connect()) {
            client.getOutputStream().write(bytes("anyone?"));
            client.setSoTimeout(700);
            assertThrows(SocketTimeoutException.class, () -> client.getInputStream().read());
            assertEquals(0, bytesAtTarget.get(), "nothing reached the target");
        }
    }

    @Test
    void resetEndsOpenAndNewConnections() throws IOException {
        Socket open = connect();
        assertArrayEquals(bytes("before"), roundTrip(open, "before", 2_000));
        proxy.mode(FaultProxy.Mode.reset());
        open.setSoTimeout(2_000);
        // the proxy resets open connections asynchronously: bytes sent just before may still make a round trip
        boolean reset = false;
        for (int i = 0; i < 40 && !reset; i++) {
            try {
                open.getOutputStream().write(bytes("after"));
                if (open.getInputStream().read() < 0) {
                    break;
                }
                Thread.sleep(50);
            } catch (SocketException e) {
                reset = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(reset, "the open connection was reset");
        open.close();
        try (Socket fresh = connect()) {
            fresh.setSoTimeout(2_000);
            assertThrows(SocketException.class, () -> fresh.getInputStream().read());
        }
        proxy.mode(FaultProxy.Mode.pass());
        try (Socket again = connect()) {
            assertArrayEquals(bytes("again"), roundTrip(again, "again", 2_000), "back to pass, traffic flows again");
        }
    }

    @Test
    void closeStopsTheListener() throws IOException {
        int port = proxy.port();
        proxy.close();
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static byte[] roundTrip(Socket socket, String message, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] sent = bytes(message);
        socket.getOutputStream().write(sent);
        socket.getOutputStream().flush();
        byte[] received = new byte[sent.length];
        int at = 0;
        while (at < received.length) {
            int read = socket.getInputStream().read(received, at, received.length - at);
            if (read < 0) {
                throw new IOException("closed after " + at + " bytes");
            }
            at += read;
        }
        return received;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
