package dev.sprox.server;

import static dev.sprox.http2.ErrorCode.COMPRESSION_ERROR;
import static dev.sprox.http2.ErrorCode.ENHANCE_YOUR_CALM;
import static dev.sprox.http2.ErrorCode.FLOW_CONTROL_ERROR;
import static dev.sprox.http2.ErrorCode.FRAME_SIZE_ERROR;
import static dev.sprox.http2.ErrorCode.PROTOCOL_ERROR;
import static dev.sprox.http2.ErrorCode.REFUSED_STREAM;
import static dev.sprox.http2.ErrorCode.STREAM_CLOSED;
import static dev.sprox.server.H2Client.END_HEADERS;
import static dev.sprox.server.H2Client.END_STREAM;
import static dev.sprox.server.H2Client.PADDED;
import static dev.sprox.server.H2Client.PRIORITY_FLAG;
import static dev.sprox.server.H2Client.TYPE_CONTINUATION;
import static dev.sprox.server.H2Client.TYPE_DATA;
import static dev.sprox.server.H2Client.TYPE_GOAWAY;
import static dev.sprox.server.H2Client.TYPE_HEADERS;
import static dev.sprox.server.H2Client.TYPE_PING;
import static dev.sprox.server.H2Client.TYPE_PRIORITY;
import static dev.sprox.server.H2Client.TYPE_RST_STREAM;
import static dev.sprox.server.H2Client.TYPE_SETTINGS;
import static dev.sprox.server.H2Client.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http2.Http2Config;
import dev.sprox.http2.ErrorCode;
import dev.sprox.http2.Frame;
import dev.sprox.http2.HeaderField;
import dev.sprox.http2.Setting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RFC 9113 at the frame level against a real sprox server on a socket, organised by the RFC's sections and covering
 * what h2spec checks: each case sends what the section forbids (or requires) and asserts the exact error code,
 * and whether it ends the stream (RST_STREAM) or the connection (GOAWAY, then the socket closes). After every
 * connection error the server is checked to serve the next connection.
 */
class Http2ConformanceTest {
    static final int MAX_STREAMS = 10;
    static final int MAX_FRAME = 16_384;
    static final int MAX_HEADER_LIST = 8192;
    static final Http2Config HTTP2 = new Http2Config(true, true, MAX_STREAMS, 65_535, MAX_FRAME, MAX_HEADER_LIST);

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.startH2c(TestServer.SETTINGS, HTTP2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static H2Client connect() throws IOException {
        return H2Client.connect(server.address());
    }

    /** Sends what {@code action} sends and expects GOAWAY {@code code}; then a new connection is served. */
    static void assertConnectionError(ErrorCode code, ClientAction action) throws IOException {
        try (H2Client client = connect()) {
            action.run(client);
            client.expectGoAway(code);
        }
        assertStillServes();
    }

    static void assertStreamError(int streamId, ErrorCode code, ClientAction action) throws IOException {
        try (H2Client client = connect()) {
            action.run(client);
            client.expectReset(streamId, code);
            assertServesOn(client, streamId + 2);
        }
    }

    /** The connection still answers a request on {@code streamId}. */
    static void assertServesOn(H2Client client, int streamId) throws IOException {
        client.headers(streamId, H2Client.get("/hello"), true);
        H2Client.Answer answer = client.response(streamId);
        assertEquals(200, answer.status());
        assertEquals("hello\n", answer.bodyText());
    }

    static void assertStillServes() throws IOException {
        try (H2Client client = connect()) {
            assertServesOn(client, 1);
        }
    }

    @FunctionalInterface
    interface ClientAction {
        void run(H2Client client) throws IOException;
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A POST to {@code path} whose body is still to come. */
    static void openUpload(H2Client client, int streamId, String path) throws IOException {
        client.headers(streamId, H2Client.request("POST", path), false);
    }

    @Nested
    class Section3_4ConnectionPreface {
        @Test
        void serverPrefaceIsSettingsWithTheListenersValues() throws IOException {
            try (H2Client client = connect()) {
                assertEquals(List.of(new Setting(Setting.MAX_CONCURRENT_STREAMS, MAX_STREAMS),
                        new Setting(Setting.INITIAL_WINDOW_SIZE, 65_535), new Setting(Setting.MAX_FRAME_SIZE, MAX_FRAME),
                        new Setting(Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST)), client.serverSettings());
            }
        }

        @Test
        void prefaceNotFollowedBySettingsIsAProtocolError() throws IOException {
            try (H2Client client = H2Client.raw(server.address())) {
                client.write(dev.sprox.http2.Http2Connection.PREFACE);
                client.ping(1);
                client.expectGoAway(PROTOCOL_ERROR);
            }
            assertStillServes();
        }

        @Test
        void http11IsStillServedOnAnH2cListener() throws IOException {
            server.assertStillServes();
        }

        @Test
        void clientSettingsAreAcknowledged() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.MAX_CONCURRENT_STREAMS, 5), new Setting(0x99, 7));
                Frame.Settings ack;
                do {
                    ack = client.await(Frame.Settings.class);
                } while (!ack.ack());
                assertEquals(List.of(), ack.settings());
            }
        }
    }

    @Nested
    class Section4_1FrameFormat {
        @Test
        void unknownFrameTypesAreIgnored() throws IOException {
            try (H2Client client = connect()) {
                client.frame(0x20, 0, 0, new byte[8]);
                client.frame(0x21, 0xff, 1, new byte[3]);
                assertServesOn(client, 1);
            }
        }

        @Test
        void unknownFlagsAreIgnored() throws IOException {
            try (H2Client client = connect()) {
                client.frame(TYPE_PING, 0xfe, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
                Frame.Ping ack = client.await(Frame.Ping.class);
                assertEquals(new Frame.Ping(true, 0x0102030405060708L), ack);
            }
        }

        @Test
        void reservedBitOfTheStreamIdIsIgnored() throws IOException {
            try (H2Client client = connect()) {
                client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 0x80000001, client.encode(H2Client.get("/hello")));
                assertEquals(200, client.response(1).status());
            }
        }
    }

    @Nested
    class Section4_2FrameSize {
        @Test
        void dataLargerThanMaxFrameSizeIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.data(1, new byte[MAX_FRAME + 1], false);
            });
        }

        @Test
        void headersLargerThanMaxFrameSizeIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS, 1,
                    new byte[MAX_FRAME + 1]));
        }

        @Test
        void dataOfExactlyMaxFrameSizeIsAccepted() throws IOException {
            try (H2Client client = connect()) {
                openUpload(client, 1, "/echo");
                client.data(1, new byte[MAX_FRAME], true);
                assertEquals(TestServer.describe(new byte[MAX_FRAME]), client.response(1).bodyText());
            }
        }
    }

    @Nested
    class Section4_3HeaderCompression {
        @Test
        void indexZeroIsACompressionError() throws IOException {
            assertConnectionError(COMPRESSION_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 1,
                    bytes(0x80)));
        }

        @Test
        void indexPastTheTablesIsACompressionError() throws IOException {
            assertConnectionError(COMPRESSION_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 1,
                    bytes(0xff, 0x80, 0x01)));
        }

        @Test
        void huffmanStringWithEosIsACompressionError() throws IOException {
            assertConnectionError(COMPRESSION_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 1,
                    concat(client.encode(H2Client.get("/hello")), bytes(0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x01, 0x61))));
        }

        @Test
        void tableSizeUpdateAboveTheLimitIsACompressionError() throws IOException {
            assertConnectionError(COMPRESSION_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 1,
                    concat(bytes(0x3f, 0xe1, 0x3f), client.encode(H2Client.get("/hello")))));
        }

        @Test
        void truncatedBlockIsACompressionError() throws IOException {
            assertConnectionError(COMPRESSION_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 1,
                    bytes(0x82, 0x40, 0x05, 'a')));
        }

        @Test
        void dynamicTableCarriesOverBetweenRequests() throws IOException {
            try (H2Client client = connect()) {
                for (int id = 1; id <= 7; id += 2) {
                    assertServesOn(client, id);
                }
            }
        }
    }

    @Nested
    class Section5_1StreamStates {
        @Test
        void dataOnAnIdleStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.data(1, bytes(1), true));
        }

        @Test
        void rstStreamOnAnIdleStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.rstStream(1, ErrorCode.CANCEL));
        }

        @Test
        void windowUpdateOnAnIdleStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.windowUpdate(1, 1));
        }

        @Test
        void dataOnAHalfClosedStreamIsStreamClosed() throws IOException {
            assertStreamError(1, STREAM_CLOSED, client -> {
                client.headers(1, H2Client.get("/large"), true);
                client.data(1, bytes(1), true);
            });
        }

        @Test
        void headersOnAClosedStreamIsStreamClosed() throws IOException {
            assertConnectionError(STREAM_CLOSED, client -> {
                assertServesOn(client, 1);
                client.headers(1, H2Client.get("/hello"), true);
            });
        }

        @Test
        void dataAfterAResetIsStreamClosed() throws IOException {
            assertStreamError(1, STREAM_CLOSED, client -> {
                openUpload(client, 1, "/echo");
                client.rstStream(1, ErrorCode.CANCEL);
                client.data(1, bytes(1), true);
            });
        }
    }

    @Nested
    class Section5_1_1StreamIdentifiers {
        @Test
        void evenStreamIdIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.headers(2, H2Client.get("/hello"), true));
        }

        @Test
        void streamIdBelowAnEarlierOneIsRefusedAsClosed() throws IOException {
            assertConnectionError(STREAM_CLOSED, client -> {
                client.headers(5, H2Client.get("/hello"), true);
                client.headers(3, H2Client.get("/hello"), true);
            });
        }
    }

    @Nested
    class Section5_1_2StreamConcurrency {
        @Test
        void streamsBeyondTheAdvertisedLimitAreRefused() throws IOException {
            try (H2Client client = connect()) {
                for (int i = 0; i < MAX_STREAMS; i++) {
                    openUpload(client, 1 + 2 * i, "/echo");
                }
                client.headers(1 + 2 * MAX_STREAMS, H2Client.get("/hello"), true);
                client.expectReset(1 + 2 * MAX_STREAMS, REFUSED_STREAM);
                client.data(1, bytes('x'), true);
                assertEquals(TestServer.describe(bytes('x')), client.response(1).bodyText());
                assertServesOn(client, 3 + 2 * MAX_STREAMS);
            }
        }
    }

    @Nested
    class Section5_3Priority {
        @Test
        void headersDependingOnItselfIsAStreamProtocolError() throws IOException {
            try (H2Client client = connect()) {
                client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM | PRIORITY_FLAG, 1,
                        concat(H2Client.int32(1), bytes(16), client.encode(H2Client.get("/hello"))));
                client.expectReset(1, PROTOCOL_ERROR);
            }
        }

        @Test
        void priorityDependingOnItselfIsAStreamProtocolError() throws IOException {
            assertStreamError(1, PROTOCOL_ERROR, client -> client.frame(TYPE_PRIORITY, 0, 1,
                    concat(H2Client.int32(1), bytes(16))));
        }

        @Test
        void priorityOnAnIdleStreamIsAccepted() throws IOException {
            try (H2Client client = connect()) {
                client.frame(TYPE_PRIORITY, 0, 9, concat(H2Client.int32(0), bytes(16)));
                assertServesOn(client, 1);
            }
        }
    }

    @Nested
    class Section6_1Data {
        @Test
        void dataOnStreamZeroIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.data(0, bytes(1), false));
        }

        @Test
        void paddingLongerThanTheFrameIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.frame(TYPE_DATA, PADDED, 1, bytes(10, 1, 2));
            });
        }

        @Test
        void paddingIsRemovedFromTheBody() throws IOException {
            try (H2Client client = connect()) {
                openUpload(client, 1, "/echo");
                client.frame(TYPE_DATA, PADDED | END_STREAM, 1, bytes(3, 'a', 'b', 0, 0, 0));
                assertEquals(TestServer.describe(bytes('a', 'b')), client.response(1).bodyText());
            }
        }

        @Test
        void uploadLargerThanTheWindowArrivesWhole() throws IOException {
            byte[] body = new byte[120_000];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) i;
            }
            try (H2Client client = connect()) {
                openUpload(client, 1, "/echo");
                int sent = 0;
                long window = 65_535;
                while (sent < body.length) {
                    while (window <= 0) {
                        Frame.WindowUpdate update = client.await(Frame.WindowUpdate.class);
                        if (update.streamId() == 1) {
                            window += update.increment();
                        }
                    }
                    int n = (int) Math.min(Math.min(MAX_FRAME, window), body.length - sent);
                    client.data(1, java.util.Arrays.copyOfRange(body, sent, sent + n), sent + n == body.length);
                    sent += n;
                    window -= n;
                }
                assertEquals(TestServer.describe(body), client.response(1).bodyText());
            }
        }
    }

    @Nested
    class Section6_2Headers {
        @Test
        void headersOnStreamZeroIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 0,
                    client.encode(H2Client.get("/hello"))));
        }

        @Test
        void paddingLongerThanTheFrameIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_HEADERS, END_HEADERS | PADDED, 1,
                    bytes(100, 0x82)));
        }

        @Test
        void paddedHeadersAreServed() throws IOException {
            try (H2Client client = connect()) {
                client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM | PADDED, 1,
                        concat(bytes(4), client.encode(H2Client.get("/hello")), new byte[4]));
                assertEquals("hello\n", client.response(1).bodyText());
            }
        }
    }

    @Nested
    class Section6_3PriorityFrame {
        @Test
        void priorityOnStreamZeroIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_PRIORITY, 0, 0,
                    concat(H2Client.int32(1), bytes(16))));
        }

        @Test
        void priorityOfTheWrongLengthIsAStreamFrameSizeError() throws IOException {
            assertStreamError(1, FRAME_SIZE_ERROR, client -> client.frame(TYPE_PRIORITY, 0, 1, bytes(0, 0, 0, 3)));
        }
    }

    @Nested
    class Section6_4RstStream {
        @Test
        void rstStreamOnStreamZeroIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_RST_STREAM, 0, 0, H2Client.int32(8)));
        }

        @Test
        void rstStreamOfTheWrongLengthIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.frame(TYPE_RST_STREAM, 0, 1, bytes(0, 0, 0, 8, 0));
            });
        }

        @Test
        void aResetStreamStopsSendingWhileTheConnectionGoesOn() throws IOException {
            try (H2Client client = connect()) {
                client.headers(1, H2Client.get("/large"), true);
                client.await(Frame.Data.class);
                client.rstStream(1, ErrorCode.CANCEL);
                assertServesOn(client, 3);
            }
        }
    }

    @Nested
    class Section6_5Settings {
        @Test
        void settingsAckWithAPayloadIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> client.frame(TYPE_SETTINGS, 0x1, 0, new byte[6]));
        }

        @Test
        void settingsOnAStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_SETTINGS, 0, 1, new byte[0]));
        }

        @Test
        void settingsOfALengthNotAMultipleOfSixIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> client.frame(TYPE_SETTINGS, 0, 0, new byte[5]));
        }

        @Test
        void enablePushOtherThanZeroOrOneIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.settings(new Setting(Setting.ENABLE_PUSH, 2)));
        }

        @Test
        void initialWindowSizeAboveTheMaximumIsAFlowControlError() throws IOException {
            assertConnectionError(FLOW_CONTROL_ERROR, client -> client.settings(
                    new Setting(Setting.INITIAL_WINDOW_SIZE, 1L << 31)));
        }

        @Test
        void maxFrameSizeBelowTheMinimumIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.settings(
                    new Setting(Setting.MAX_FRAME_SIZE, Setting.MIN_MAX_FRAME_SIZE - 1)));
        }

        @Test
        void maxFrameSizeAboveTheMaximumIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.settings(
                    new Setting(Setting.MAX_FRAME_SIZE, Setting.MAX_MAX_FRAME_SIZE + 1)));
        }

        @Test
        void aSmallerHeaderTableIsHonoured() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.HEADER_TABLE_SIZE, 0));
                assertServesOn(client, 1);
                assertServesOn(client, 3);
            }
        }
    }

    @Nested
    class Section6_7Ping {
        @Test
        void pingIsAnsweredWithTheSameData() throws IOException {
            try (H2Client client = connect()) {
                client.ping(0x1122334455667788L);
                assertEquals(new Frame.Ping(true, 0x1122334455667788L), client.await(Frame.Ping.class));
            }
        }

        @Test
        void pingAckIsNotAnswered() throws IOException {
            try (H2Client client = connect()) {
                client.frame(TYPE_PING, 0x1, 0, new byte[8]);
                client.ping(42);
                assertEquals(new Frame.Ping(true, 42), client.await(Frame.Ping.class));
            }
        }

        @Test
        void pingOnAStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_PING, 0, 1, new byte[8]));
        }

        @Test
        void pingOfTheWrongLengthIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> client.frame(TYPE_PING, 0, 0, new byte[6]));
        }
    }

    @Nested
    class Section6_8GoAway {
        @Test
        void goAwayOnAStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_GOAWAY, 0, 1, new byte[8]));
        }

        @Test
        void drainSendsGoAwayWithTheLastStreamAndFinishesIt() throws Exception {
            try (TestServer draining = TestServer.startH2c(TestServer.SETTINGS, HTTP2);
                 H2Client client = H2Client.connect(draining.address())) {
                openUpload(client, 1, "/echo");
                client.ping(7);
                client.await(Frame.Ping.class);
                var drained = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> draining.drain(java.time.Duration.ofSeconds(5)));
                Frame.GoAway goAway = client.await(Frame.GoAway.class);
                assertEquals(List.of(1, ErrorCode.NO_ERROR), List.of(goAway.lastStreamId(), goAway.error()));
                client.data(1, bytes('d'), true);
                assertEquals(TestServer.describe(bytes('d')), client.response(1).bodyText());
                client.assertClosedByServer();
                assertTrue(drained.get(10, java.util.concurrent.TimeUnit.SECONDS), "the stream finished in time");
            }
        }

        @Test
        void afterTheClientsGoAwayTheStreamInProgressFinishes() throws IOException {
            try (H2Client client = connect()) {
                openUpload(client, 1, "/echo");
                client.frame(TYPE_GOAWAY, 0, 0, concat(H2Client.int32(0), H2Client.int32(0)));
                client.data(1, bytes('z'), true);
                assertEquals(TestServer.describe(bytes('z')), client.response(1).bodyText());
                client.assertClosedByServer();
            }
        }

        /**
         * The server's last DATA frames are still on their way when its stream finishes; the client credits the
         * connection window for each as it reads. Closing at once would answer those WINDOW_UPDATEs with a TCP reset,
         * which discards the response's tail in the client's buffers (and fails its next write: "Broken pipe").
         */
        @Test
        void afterTheClientsGoAwayALargeResponseIsReadToItsEndBeforeTheServerCloses() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, Setting.MAX_WINDOW_SIZE));
                client.windowUpdate(0, (int) (Setting.MAX_WINDOW_SIZE - 65_535));
                client.headers(1, H2Client.request("GET", "/large"), true);
                client.frame(TYPE_GOAWAY, 0, 0, concat(H2Client.int32(0), H2Client.int32(0)));
                assertEquals(64 * 1024 * 1024, client.response(1).body().length);
                client.assertClosedByServer();
            }
        }
    }

    @Nested
    class Section6_9WindowUpdate {
        @Test
        void zeroIncrementOnTheConnectionIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_WINDOW_UPDATE, 0, 0, H2Client.int32(0)));
        }

        @Test
        void zeroIncrementOnAStreamIsAStreamProtocolError() throws IOException {
            assertStreamError(1, PROTOCOL_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.frame(TYPE_WINDOW_UPDATE, 0, 1, H2Client.int32(0));
            });
        }

        @Test
        void windowUpdateOfTheWrongLengthIsAFrameSizeError() throws IOException {
            assertConnectionError(FRAME_SIZE_ERROR, client -> client.frame(TYPE_WINDOW_UPDATE, 0, 0, new byte[3]));
        }

        @Test
        void connectionWindowAboveTheMaximumIsAFlowControlError() throws IOException {
            assertConnectionError(FLOW_CONTROL_ERROR, client -> client.windowUpdate(0, Integer.MAX_VALUE));
        }

        @Test
        void streamWindowAboveTheMaximumIsAStreamFlowControlError() throws IOException {
            assertStreamError(1, FLOW_CONTROL_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.windowUpdate(1, Integer.MAX_VALUE);
            });
        }
    }

    @Nested
    class Section6_9_1FlowControl {
        @Test
        void theServerSendsNoMoreThanTheStreamWindow() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 1000));
                client.headers(1, H2Client.get("/large"), true);
                assertEquals(1000, dataUntilQuiet(client));
                client.windowUpdate(1, 500);
                assertEquals(500, dataUntilQuiet(client));
                client.rstStream(1, ErrorCode.CANCEL);
            }
        }

        @Test
        void aZeroWindowStallsOnlyItsStream() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 0));
                client.headers(1, H2Client.get("/large"), true);
                client.headers(3, H2Client.get("/hello"), true);
                client.windowUpdate(3, 100);
                assertEquals("hello\n", client.response(3).bodyText());
            }
        }

        @Test
        void aLargerInitialWindowReopensStreamsInProgress() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 0));
                client.headers(1, H2Client.get("/hello"), true);
                client.await(Frame.Headers.class);
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 65_535));
                assertEquals("hello\n", new String(client.await(Frame.Data.class).payload(), StandardCharsets.US_ASCII));
            }
        }

        @Test
        void dataBeyondTheStreamWindowIsAStreamFlowControlError() throws IOException {
            try (H2Client client = connect()) {
                openUpload(client, 1, "/after-pause");
                for (int i = 0; i < 4; i++) {
                    client.data(1, new byte[MAX_FRAME], false);
                }
                client.data(1, new byte[MAX_FRAME], false);
                client.expectReset(1, FLOW_CONTROL_ERROR);
                assertServesOn(client, 3);
            }
        }

        @Test
        void aClientThatNeverOpensTheWindowIsCancelledAfterTheSendTimeout() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 0));
                client.headers(1, H2Client.get("/hello"), true);
                client.expectReset(1, ErrorCode.CANCEL);
                client.headers(3, H2Client.get("/hello"), true);
                client.windowUpdate(3, 100);
                assertEquals("hello\n", client.response(3).bodyText());
            }
        }

        /** DATA octets on stream 1 until nothing more arrives for 300 ms. */
        private int dataUntilQuiet(H2Client client) throws IOException {
            int total = 0;
            var socketTimeout = 300;
            client.soTimeout(socketTimeout);
            try {
                while (true) {
                    Frame frame = client.next();
                    if (frame instanceof Frame.Data data && data.streamId() == 1) {
                        total += data.payload().length;
                    }
                }
            } catch (java.net.SocketTimeoutException quiet) {
                return total;
            } finally {
                client.soTimeout(5000);
            }
        }
    }

    @Nested
    class Section6_10Continuation {
        @Test
        void continuationWithoutHeadersIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> client.frame(TYPE_CONTINUATION, END_HEADERS, 1,
                    client.encode(H2Client.get("/hello"))));
        }

        @Test
        void continuationOnAnotherStreamIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> {
                byte[] block = client.encode(H2Client.get("/hello"));
                client.frame(TYPE_HEADERS, END_STREAM, 1, java.util.Arrays.copyOf(block, 2));
                client.frame(TYPE_CONTINUATION, END_HEADERS, 3, java.util.Arrays.copyOfRange(block, 2, block.length));
            });
        }

        @Test
        void anotherFrameInsideAHeaderBlockIsAProtocolError() throws IOException {
            assertConnectionError(PROTOCOL_ERROR, client -> {
                byte[] block = client.encode(H2Client.get("/hello"));
                client.frame(TYPE_HEADERS, END_STREAM, 1, java.util.Arrays.copyOf(block, 2));
                client.ping(1);
            });
        }

        @Test
        void aHeaderBlockSplitOverContinuationsIsServed() throws IOException {
            try (H2Client client = connect()) {
                byte[] block = client.encode(H2Client.get("/hello"));
                client.frame(TYPE_HEADERS, END_STREAM, 1, java.util.Arrays.copyOf(block, 1));
                client.frame(TYPE_CONTINUATION, 0, 1, java.util.Arrays.copyOfRange(block, 1, 3));
                client.frame(TYPE_CONTINUATION, END_HEADERS, 1, java.util.Arrays.copyOfRange(block, 3, block.length));
                assertEquals("hello\n", client.response(1).bodyText());
            }
        }
    }

    @Nested
    class Section8_1HttpMessages {
        @Test
        void contentLengthLargerThanTheDataIsAStreamProtocolError() throws IOException {
            assertStreamError(1, PROTOCOL_ERROR, client -> {
                List<HeaderField> fields = H2Client.request("POST", "/echo");
                fields.add(new HeaderField("content-length", "10"));
                client.headers(1, fields, false);
                client.data(1, bytes(1, 2, 3), true);
            });
        }

        @Test
        void contentLengthSmallerThanTheDataIsAStreamProtocolError() throws IOException {
            assertStreamError(1, PROTOCOL_ERROR, client -> {
                List<HeaderField> fields = H2Client.request("POST", "/echo");
                fields.add(new HeaderField("content-length", "2"));
                client.headers(1, fields, false);
                client.data(1, bytes(1, 2, 3), true);
            });
        }

        @Test
        void contentLengthMatchingTheDataIsServed() throws IOException {
            try (H2Client client = connect()) {
                List<HeaderField> fields = H2Client.request("POST", "/echo");
                fields.add(new HeaderField("content-length", "3"));
                client.headers(1, fields, false);
                client.data(1, bytes(1, 2), false);
                client.data(1, bytes(3), true);
                assertEquals(TestServer.describe(bytes(1, 2, 3)), client.response(1).bodyText());
            }
        }

        @Test
        void trailersWithoutEndStreamAreAStreamProtocolError() throws IOException {
            assertStreamError(1, PROTOCOL_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.data(1, bytes(1), false);
                client.headers(1, List.of(new HeaderField("x-checksum", "1")), false);
            });
        }

        @Test
        void trailersEndTheRequestBody() throws IOException {
            try (H2Client client = connect()) {
                openUpload(client, 1, "/echo");
                client.data(1, bytes(7), false);
                client.headers(1, List.of(new HeaderField("x-checksum", "7")), true);
                assertEquals(TestServer.describe(bytes(7)), client.response(1).bodyText());
            }
        }

        @Test
        void headIsAnsweredWithoutData() throws IOException {
            try (H2Client client = connect()) {
                client.headers(1, H2Client.request("HEAD", "/echo"), true);
                H2Client.Answer answer = client.response(1);
                assertEquals(200, answer.status());
                assertEquals(0, answer.dataFrames());
                assertEquals(String.valueOf(TestServer.describe(new byte[0]).length()), answer.header("content-length"));
            }
        }

        /** The frame with the declared length's last octet ends the stream: no empty DATA frame after it. */
        @Test
        void aDeclaredLengthEndsWithItsLastPieceNotAnEmptyFrame() throws IOException {
            try (H2Client client = connect()) {
                client.headers(1, H2Client.get("/sized"), true);
                H2Client.Answer answer = client.response(1);
                assertEquals(List.of(200, TestServer.SIZED_PIECES * TestServer.SIZED_PIECE, TestServer.SIZED_PIECES),
                        List.of(answer.status(), answer.body().length, answer.dataFrames()));
            }
        }

        @Test
        void noContentAndNotModifiedCarryNoData() throws IOException {
            try (H2Client client = connect()) {
                client.headers(1, H2Client.get("/no-content"), true);
                H2Client.Answer noContent = client.response(1);
                client.headers(3, H2Client.get("/not-modified"), true);
                H2Client.Answer notModified = client.response(3);
                assertEquals(List.of(204, 0, 304, 0), List.of(noContent.status(), noContent.dataFrames(),
                        notModified.status(), notModified.dataFrames()));
                assertNull(noContent.header("content-length"));
            }
        }

        @Test
        void responsesCarryNoConnectionSpecificFields() throws IOException {
            try (H2Client client = connect()) {
                client.headers(1, H2Client.get("/stream"), true);
                H2Client.Answer answer = client.response(1);
                assertEquals(String.join("", TestServer.STREAM_PIECES), answer.bodyText());
                for (String name : List.of("connection", "transfer-encoding", "keep-alive")) {
                    assertNull(answer.header(name), name);
                }
                assertEquals("nosniff", answer.header("x-content-type-options"));
            }
        }

        @Test
        void aBodySourceThatFailsResetsTheStream() throws IOException {
            assertStreamError(1, ErrorCode.INTERNAL_ERROR, client -> client.headers(1, H2Client.get("/stream-fails"), true));
        }

        @Test
        void requestBodyLargerThanTheLimitIsAnswered413() throws IOException {
            try (H2Client client = connect()) {
                List<HeaderField> fields = H2Client.request("POST", "/echo");
                fields.add(new HeaderField("content-length", String.valueOf(TestServer.SETTINGS.maxBodyBytes() + 1)));
                client.headers(1, fields, false);
                assertEquals(413, client.response(1).status());
            }
        }
    }

    @Nested
    class Section8_2Fields {
        @Test
        void upperCaseFieldNameIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(new HeaderField("X-Upper", "1")));
        }

        @Test
        void connectionSpecificFieldIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(new HeaderField("connection", "keep-alive")));
        }

        @Test
        void transferEncodingIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(new HeaderField("transfer-encoding", "chunked")));
        }

        @Test
        void teOtherThanTrailersIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(new HeaderField("te", "gzip")));
        }

        @Test
        void teTrailersIsServed() throws IOException {
            try (H2Client client = connect()) {
                List<HeaderField> fields = H2Client.get("/hello");
                fields.add(new HeaderField("te", "trailers"));
                client.headers(1, fields, true);
                assertEquals(200, client.response(1).status());
            }
        }

        @Test
        void valueWithALineBreakIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(new HeaderField("x-split", "a\r\nb: c")));
        }
    }

    @Nested
    class Section8_3PseudoHeaders {
        @Test
        void unknownPseudoHeaderIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(1, new HeaderField(":custom", "1")));
        }

        @Test
        void responsePseudoHeaderInARequestIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(1, new HeaderField(":status", "200")));
        }

        @Test
        void pseudoHeaderAfterARegularFieldIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> {
                fields.add(2, new HeaderField("accept", "*/*"));
            });
        }

        @Test
        void duplicatePathIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.add(1, new HeaderField(":path", "/other")));
        }

        @Test
        void missingMethodIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.removeIf(f -> f.name().equals(":method")));
        }

        @Test
        void missingSchemeIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.removeIf(f -> f.name().equals(":scheme")));
        }

        @Test
        void missingPathIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.removeIf(f -> f.name().equals(":path")));
        }

        @Test
        void emptyPathIsAStreamProtocolError() throws IOException {
            assertMalformed(fields -> fields.set(2, new HeaderField(":path", "")));
        }

        @Test
        void pseudoHeaderInTrailersIsAStreamProtocolError() throws IOException {
            assertStreamError(1, PROTOCOL_ERROR, client -> {
                openUpload(client, 1, "/echo");
                client.headers(1, List.of(new HeaderField(":path", "/x")), true);
            });
        }

        @Test
        void authorityIsTheHostRoutesSee() throws IOException {
            try (H2Client client = connect()) {
                List<HeaderField> fields = H2Client.get("/hello");
                fields.set(3, new HeaderField(":authority", "bad host"));
                client.headers(1, fields, true);
                assertEquals(400, client.response(1).status());
            }
        }

        @Test
        void targetOutsideTheGrammarIsAnswered400() throws IOException {
            try (H2Client client = connect()) {
                client.headers(1, H2Client.get("/a\"b"), true);
                assertEquals(400, client.response(1).status());
            }
        }
    }

    /** The request for /hello changed by {@code change} is malformed (§8.1.1): RST_STREAM PROTOCOL_ERROR. */
    static void assertMalformed(java.util.function.Consumer<List<HeaderField>> change) throws IOException {
        List<HeaderField> fields = H2Client.get("/hello");
        change.accept(fields);
        assertStreamError(1, PROTOCOL_ERROR, client -> client.headers(1, fields, true));
    }

    @Nested
    class Section10_5DenialOfService {
        @Test
        void aHeaderBlockLeftUnfinishedEndsTheConnectionAfterTheHeaderTimeout() throws IOException {
            try (H2Client client = connect()) {
                byte[] block = client.encode(H2Client.get("/hello"));
                client.frame(TYPE_HEADERS, END_STREAM, 1, java.util.Arrays.copyOf(block, 2));
                // The client gives up reading after 5 s, so only the server's 3 s header timeout can end this.
                client.expectGoAway(ErrorCode.NO_ERROR);
            }
            assertStillServes();
        }

        @Test
        void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws IOException {
            assertConnectionError(ENHANCE_YOUR_CALM, client -> {
                for (int id = 1; id <= 2 * 150; id += 2) {
                    client.headers(id, H2Client.get("/hello"), true);
                    client.rstStream(id, ErrorCode.CANCEL);
                }
            });
        }

        @Test
        void continuationFloodIsStoppedAtTheHeaderBlockLimit() throws IOException {
            assertConnectionError(ENHANCE_YOUR_CALM, client -> {
                client.frame(TYPE_HEADERS, END_STREAM, 1, client.encode(H2Client.get("/hello")));
                byte[] filler = new byte[4096];
                for (int i = 0; i < 2 * MAX_HEADER_LIST / filler.length + 1; i++) {
                    client.frame(TYPE_CONTINUATION, 0, 1, filler);
                }
            });
        }

        @Test
        void emptyContinuationFloodEndsTheConnection() throws IOException {
            assertConnectionError(ENHANCE_YOUR_CALM, client -> {
                client.frame(TYPE_HEADERS, END_STREAM, 1, client.encode(H2Client.get("/hello")));
                for (int i = 0; i < 200; i++) {
                    client.frame(TYPE_CONTINUATION, 0, 1, new byte[0]);
                }
            });
        }

        @Test
        void hpackBombIsAnswered431() throws IOException {
            try (H2Client client = connect()) {
                // One 4000-octet field put in the table, then referenced by a one-octet index again and again.
                var block = new ByteArrayOutputStream();
                block.writeBytes(client.encode(H2Client.get("/hello")));
                block.writeBytes(bytes(0x40, 0x01, 'x', 0x7f, 0xa1, 0x1e));
                block.writeBytes("y".repeat(4000).getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 1000; i++) {
                    block.write(0xbe);
                }
                client.frame(TYPE_HEADERS, END_HEADERS | END_STREAM, 1, block.toByteArray());
                assertEquals(431, client.response(1).status());
            }
            assertStillServes();
        }

        @Test
        void settingsFloodEndsTheConnection() throws IOException {
            assertConnectionError(ENHANCE_YOUR_CALM, client -> {
                for (int i = 0; i < 400; i++) {
                    client.settings();
                }
            });
        }

        @Test
        void pingFloodEndsTheConnection() throws IOException {
            assertConnectionError(ENHANCE_YOUR_CALM, client -> {
                for (int i = 0; i < 400; i++) {
                    client.ping(i);
                }
            });
        }

        @Test
        void emptyDataFloodEndsTheConnection() throws IOException {
            assertConnectionError(ENHANCE_YOUR_CALM, client -> {
                openUpload(client, 1, "/echo");
                for (int i = 0; i < 200; i++) {
                    client.data(1, new byte[0], false);
                }
            });
        }
    }

    @Nested
    class Multiplexing {
        @Test
        void concurrentStreamsAreAnsweredIndependently() throws IOException {
            try (H2Client client = connect()) {
                openUpload(client, 1, "/echo");
                List<Integer> ids = new ArrayList<>();
                for (int id = 3; id <= 11; id += 2) {
                    client.headers(id, H2Client.get("/say?n=" + id), true);
                    ids.add(id);
                }
                for (int id : ids) {
                    assertEquals("n=" + id + "\n", client.response(id).bodyText());
                }
                client.data(1, bytes('q'), true);
                assertEquals(TestServer.describe(bytes('q')), client.response(1).bodyText());
            }
        }

        @Test
        void aResponseLargerThanTheDefaultWindowsArrivesWhole() throws IOException {
            try (H2Client client = connect()) {
                client.settings(new Setting(Setting.INITIAL_WINDOW_SIZE, 1 << 20));
                client.windowUpdate(0, 8 << 20);
                client.headers(1, H2Client.get("/stream"), true);
                assertEquals(String.join("", TestServer.STREAM_PIECES), client.response(1).bodyText());
                assertTrue(client.serverSettings().size() > 0);
            }
        }
    }
}
