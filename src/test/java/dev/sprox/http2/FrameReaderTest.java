package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Frames as RFC 9113 §4 and §6 define them: what the writer writes, the reader reads back; what they forbid is refused. */
class FrameReaderTest {

    @Test
    void framesRoundTripThroughTheWriter() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var writer = new FrameWriter(bytes);
        writer.settings(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, 100), new Setting(Setting.INITIAL_WINDOW_SIZE, 65535)));
        writer.settingsAck();
        writer.headers(1, new byte[] {(byte) 0x82}, true, 16384);
        writer.data(3, "hello".getBytes(), 0, 5, true);
        writer.ping(false, 0x0102030405060708L);
        writer.windowUpdate(0, 1 << 20);
        writer.rstStream(5, ErrorCode.CANCEL);
        writer.goAway(7, ErrorCode.ENHANCE_YOUR_CALM, "calm".getBytes());
        var reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), 16384);

        assertEquals(List.of(new Setting(3, 100), new Setting(4, 65535)), assertInstanceOf(Frame.Settings.class, reader.read()).settings());
        assertEquals(true, assertInstanceOf(Frame.Settings.class, reader.read()).ack());
        var headers = assertInstanceOf(Frame.Headers.class, reader.read());
        assertEquals(List.of(1, true, true), List.of(headers.streamId(), headers.endStream(), headers.endHeaders()));
        var data = assertInstanceOf(Frame.Data.class, reader.read());
        assertEquals("hello", new String(data.payload()));
        assertEquals(new Frame.Ping(false, 0x0102030405060708L), reader.read());
        assertEquals(new Frame.WindowUpdate(0, 1 << 20), reader.read());
        assertEquals(new Frame.RstStream(5, ErrorCode.CANCEL), reader.read());
        var goAway = assertInstanceOf(Frame.GoAway.class, reader.read());
        assertEquals(List.of(7, ErrorCode.ENHANCE_YOUR_CALM, "calm"), List.of(goAway.lastStreamId(), goAway.error(), new String(goAway.debugData())));
        assertNull(reader.read(), "end of stream between frames");
    }

    @Test
    void headerBlocksLargerThanAFrameContinueInContinuationFrames() throws Exception {
        var bytes = new ByteArrayOutputStream();
        byte[] block = new byte[40000];
        block[39999] = 42;
        new FrameWriter(bytes).headers(1, block, false, 16384);
        var reader = new FrameReader(new ByteArrayInputStream(bytes.toByteArray()), 16384);
        assertEquals(false, assertInstanceOf(Frame.Headers.class, reader.read()).endHeaders());
        assertEquals(false, assertInstanceOf(Frame.Continuation.class, reader.read()).endHeaders());
        var last = assertInstanceOf(Frame.Continuation.class, reader.read());
        assertEquals(List.of(40000 - 2 * 16384, true, (byte) 42),
                List.of(last.fragment().length, last.endHeaders(), last.fragment()[last.fragment().length - 1]));
    }

    @Test
    void section6_1PaddingIsRemovedButCountsForFlowControl() throws Exception {
        // DATA, PADDED, stream 1: pad length 3, "ab", 3 octets of padding
        var data = assertInstanceOf(Frame.Data.class, read("000006 00 08 00000001 03 6162 000000"));
        assertEquals(List.of("ab", 6), List.of(new String(data.payload()), data.flowControlledLength()));
    }

    @Test
    void section6_2PriorityInHeadersIsReadAndDropped() throws Exception {
        // HEADERS, END_HEADERS|PRIORITY, stream 3: depends on 1, weight 16, then the fragment 0x82
        var headers = assertInstanceOf(Frame.Headers.class, read("000006 01 24 00000003 00000001 10 82"));
        assertArrayEquals(new byte[] {(byte) 0x82}, headers.fragment());
    }

    @Test
    void section4_1UnknownFrameTypesAreSkipped() throws Exception {
        var reader = reader("000003 fa 00 00000000 010203" + "000008 06 00 00000000 0000000000000001");
        assertEquals(new Frame.Unknown(0xfa, 0, 3), reader.read());
        assertEquals(new Frame.Ping(false, 1), reader.read());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "§4.2 frame larger than SETTINGS_MAX_FRAME_SIZE | 004001 00 00 00000001 | FRAME_SIZE_ERROR",
        "§6.1 DATA on stream 0                          | 000000 00 00 00000000 | PROTOCOL_ERROR",
        "§6.1 padding longer than the frame             | 000002 00 08 00000001 05 61 | PROTOCOL_ERROR",
        "§6.2 HEADERS on stream 0                       | 000001 01 04 00000000 82 | PROTOCOL_ERROR",
        "§6.4 RST_STREAM on stream 0                    | 000004 03 00 00000000 00000008 | PROTOCOL_ERROR",
        "§6.4 RST_STREAM of 3 octets                    | 000003 03 00 00000001 000008 | FRAME_SIZE_ERROR",
        "§6.5 SETTINGS on a stream                      | 000000 04 00 00000001 | PROTOCOL_ERROR",
        "§6.5 SETTINGS ACK with a payload               | 000006 04 01 00000000 000300000064 | FRAME_SIZE_ERROR",
        "§6.5 SETTINGS of 5 octets                      | 000005 04 00 00000000 0003000000 | FRAME_SIZE_ERROR",
        "§6.5.2 ENABLE_PUSH of 2                        | 000006 04 00 00000000 000200000002 | PROTOCOL_ERROR",
        "§6.5.2 INITIAL_WINDOW_SIZE of 2^31             | 000006 04 00 00000000 000480000000 | FLOW_CONTROL_ERROR",
        "§6.5.2 MAX_FRAME_SIZE below 2^14               | 000006 04 00 00000000 000500003fff | PROTOCOL_ERROR",
        "§6.5.2 MAX_FRAME_SIZE of 2^24                  | 000006 04 00 00000000 000501000000 | PROTOCOL_ERROR",
        "§6.6 PUSH_PROMISE from a client                | 000004 05 04 00000001 00000002 | PROTOCOL_ERROR",
        "§6.7 PING on a stream                          | 000008 06 00 00000001 0000000000000000 | PROTOCOL_ERROR",
        "§6.7 PING of 7 octets                          | 000007 06 00 00000000 00000000000000 | FRAME_SIZE_ERROR",
        "§6.8 GOAWAY on a stream                        | 000008 07 00 00000001 0000000000000000 | PROTOCOL_ERROR",
        "§6.9 WINDOW_UPDATE of 0 on the connection      | 000004 08 00 00000000 00000000 | PROTOCOL_ERROR",
        "§6.9 WINDOW_UPDATE of 3 octets                 | 000003 08 00 00000001 000001 | FRAME_SIZE_ERROR",
        "§6.10 CONTINUATION on stream 0                 | 000001 09 04 00000000 82 | PROTOCOL_ERROR",
    })
    void connectionErrors(String rule, String frame, ErrorCode expected) {
        Http2Exception e = assertThrows(Http2Exception.class, () -> read(frame));
        assertEquals(List.of(expected, true), List.of(e.code(), e.isConnectionError()), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "§5.3.1 HEADERS depending on its own stream  | 000006 01 24 00000003 00000003 10 82 | PROTOCOL_ERROR",
        "§6.3 PRIORITY of 4 octets                   | 000004 02 00 00000003 00000001 | FRAME_SIZE_ERROR",
        "§6.9 WINDOW_UPDATE of 0 on a stream         | 000004 08 00 00000003 00000000 | PROTOCOL_ERROR",
    })
    void streamErrors(String rule, String frame, ErrorCode expected) {
        Http2Exception e = assertThrows(Http2Exception.class, () -> read(frame));
        assertEquals(List.of(expected, 3), List.of(e.code(), e.streamId()), e.getMessage());
    }

    @Test
    void aFrameCutShortIsAnEndOfStream() {
        assertThrows(EOFException.class, () -> read("000008 06 00 00000000 0000"));
    }

    private static Frame read(String hex) throws IOException, Http2Exception {
        return reader(hex).read();
    }

    private static FrameReader reader(String hex) {
        return new FrameReader(new ByteArrayInputStream(HexFormat.of().parseHex(hex.replace(" ", ""))), 16384);
    }
}
