package io.threeway.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TunSmokeTest {
    @Test
    void pythonClientEchoes() throws Exception {
        try (TunLab lab = TunLab.start(); ServerSocket server = lab.host.sockets().serverSocket(7)) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = in.read(b)) > 0) out.write(b, 0, n);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            NetNs.Result r = lab.ns.execResult(20, "python3", "-c",
                    "import socket; s=socket.create_connection(('198.18.0.2',7),timeout=5); s.sendall(b'hello'); print(s.recv(100).decode()); s.close()");
            assertEquals("hello", r.output().strip(), r.toString());
            t.join(5000);
        }
    }
}
