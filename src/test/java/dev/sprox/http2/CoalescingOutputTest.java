package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescingOutputTest {
    /** What reaches the socket: each write's length, and all the octets in order. */
    private static final class Socket extends ByteArrayOutputStream {
        final List<Integer> writes = new ArrayList<>();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.add(len);
            super.write(b, off, len);
        }
    }

    @Test
    void fullFramesLeaveInWritesOfAWholeBufferNotAHeaderAlone() throws IOException {
        var socket = new Socket();
        var output = new CoalescingOutput(socket, 16 * 1024);
        var frames = new FrameWriter(output);
        byte[] payload = new byte[16 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        var expected = new ByteArrayOutputStream();
        var reference = new FrameWriter(expected);
        for (int i = 0; i < 4; i++) {
            frames.data(1, payload, 0, payload.length, i == 3);
            reference.data(1, payload, 0, payload.length, i == 3);
        }
        output.flush();
        assertArrayEquals(expected.toByteArray(), socket.toByteArray());
        // Four frames of 9 + 16384 octets: four full buffers and the 36 octets left, where a BufferedOutputStream
        // writes each 9-octet header on its own before its payload (eight writes).
        assertEquals(List.of(16384, 16384, 16384, 16384, 36), socket.writes);
    }

    @Test
    void aRemainderOfAWholeBufferOrMoreGoesStraightThrough() throws IOException {
        var socket = new Socket();
        var output = new CoalescingOutput(socket, 1024);
        output.write(new byte[10]);
        output.write(new byte[5000]);
        output.write(new byte[100]);
        output.flush();
        assertEquals(List.of(1024, 3986, 100), socket.writes);
        assertEquals(5110, socket.size());
    }
}
