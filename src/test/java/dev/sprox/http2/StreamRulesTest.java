package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.http2.StreamStates.HeadersRole;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9113 §5.1 stream states and the defences against floods, each case named by what a peer does. */
class StreamRulesTest {

    private final StreamStates streams = new StreamStates(2);

    @Test
    void section5_1_1ClientStreamsAreOddAndIncreasing() throws Exception {
        assertEquals(HeadersRole.NEW_STREAM, streams.headers(3, true));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> streams.headers(4, true));
        assertConnectionError(ErrorCode.STREAM_CLOSED, () -> streams.headers(1, true));
        assertEquals(3, streams.highestId());
    }

    @Test
    void section5_1_2StreamsBeyondTheConcurrencyLimitAreRefusedAndTheConnectionGoesOn() throws Exception {
        streams.headers(1, false);
        streams.headers(3, false);
        Http2Exception refused = assertThrows(Http2Exception.class, () -> streams.headers(5, false));
        assertEquals(List.of(ErrorCode.REFUSED_STREAM, 5), List.of(refused.code(), refused.streamId()));
        streams.resetByPeer(1);
        assertEquals(HeadersRole.NEW_STREAM, streams.headers(7, false));
    }

    @Test
    void section5_1FramesOnIdleStreamsAreConnectionErrors() {
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> streams.data(1, false));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> streams.resetByPeer(1));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> streams.windowUpdate(1));
    }

    @Test
    void section5_1DataOrHeadersAfterEndStreamAreStreamClosed() throws Exception {
        streams.headers(1, false);
        streams.data(1, true);
        assertStreamError(ErrorCode.STREAM_CLOSED, 1, () -> streams.data(1, false));
        assertStreamError(ErrorCode.STREAM_CLOSED, 1, () -> streams.headers(1, true));
    }

    @Test
    void section8_1TrailersEndTheStreamAndMustCarryEndStream() throws Exception {
        streams.headers(1, false);
        assertStreamError(ErrorCode.PROTOCOL_ERROR, 1, () -> streams.headers(1, false));
        streams.headers(3, false);
        assertEquals(HeadersRole.TRAILERS, streams.headers(3, true));
    }

    @Test
    void aStreamOurResponseEndedStillTakesTheClientsBodyThenCloses() throws Exception {
        streams.headers(1, false);
        streams.closedLocally(1);
        streams.data(1, true);
        assertConnectionError(ErrorCode.STREAM_CLOSED, () -> streams.headers(1, true));
        streams.windowUpdate(1);
    }

    @Test
    void headerBlocksJoinAcrossContinuationAndNothingMayComeInBetween() throws Exception {
        var assembler = new HeaderBlockAssembler(100);
        assertNull(assembler.start(new Frame.Headers(1, new byte[] {1}, true, false)));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> assembler.requireNoneOpen(new Frame.Ping(false, 0)));
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> assembler.continueWith(new Frame.Continuation(3, new byte[] {2}, true)));
        var block = assembler.continueWith(new Frame.Continuation(1, new byte[] {2}, true));
        assertArrayEquals(new byte[] {1, 2}, block.fragment());
        assertTrue(block.endStream());
        assertConnectionError(ErrorCode.PROTOCOL_ERROR, () -> assembler.continueWith(new Frame.Continuation(1, new byte[] {3}, true)));
    }

    @Test
    void anEndlessContinuationFloodStopsAtTheBlockLimit() throws Exception {
        var assembler = new HeaderBlockAssembler(16384);
        assembler.start(new Frame.Headers(1, new byte[0], false, false));
        Http2Exception e = assertThrows(Http2Exception.class, () -> {
            for (int i = 0; i < 1_000_000; i++) {
                assembler.continueWith(new Frame.Continuation(1, new byte[1000], false));
            }
        });
        assertEquals(ErrorCode.ENHANCE_YOUR_CALM, e.code());
    }

    @Test
    void rapidResetsPastTheLimitInOneWindowEndTheConnection() throws Exception {
        var guard = new FloodGuard(1_000_000_000L, 100, 100, 100, 0);
        for (int i = 0; i < 100; i++) {
            guard.count(FloodGuard.Kind.RESET, i);
        }
        assertConnectionError(ErrorCode.ENHANCE_YOUR_CALM, () -> guard.count(FloodGuard.Kind.RESET, 500));
    }

    @Test
    void theCountStartsAgainInTheNextWindowAndEachKindHasItsOwn() throws Exception {
        var guard = new FloodGuard(1_000_000_000L, 2, 2, 2, 0);
        guard.count(FloodGuard.Kind.CONTROL, 0);
        guard.count(FloodGuard.Kind.CONTROL, 1);
        guard.count(FloodGuard.Kind.EMPTY, 2);
        guard.count(FloodGuard.Kind.CONTROL, 1_000_000_000L);
        guard.count(FloodGuard.Kind.CONTROL, 1_000_000_001L);
        assertConnectionError(ErrorCode.ENHANCE_YOUR_CALM, () -> guard.count(FloodGuard.Kind.CONTROL, 1_000_000_002L));
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void assertConnectionError(ErrorCode code, Step step) {
        Http2Exception e = assertThrows(Http2Exception.class, step::run);
        assertEquals(List.of(code, true), List.of(e.code(), e.isConnectionError()), e.getMessage());
    }

    private static void assertStreamError(ErrorCode code, int streamId, Step step) {
        Http2Exception e = assertThrows(Http2Exception.class, step::run);
        assertEquals(List.of(code, streamId), List.of(e.code(), e.streamId()), e.getMessage());
    }
}
