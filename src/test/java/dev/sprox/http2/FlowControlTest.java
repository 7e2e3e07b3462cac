package dev.sprox.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** RFC 9113 §5.2 and §6.9: what we may send, what the peer may send us, and the errors at the edges. */
class FlowControlTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aWriterGetsWhatTheWindowHoldsThenWaitsForAWindowUpdate() throws Exception {
        var window = new SendWindow(10);
        assertEquals(10, window.acquire(16384, System.nanoTime() + LONG));
        var waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return window.acquire(16384, System.nanoTime() + LONG);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertTrue(!waiting.isDone(), "the writer waits while the window is empty");
        window.grow(100, 1);
        assertEquals(100, waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aWindowThatStaysClosedEndsTheWaitAtTheSendDeadline() {
        var window = new SendWindow(0);
        assertThrows(TimeoutException.class, () -> window.acquire(1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)));
    }

    @Test
    void aSmallerInitialWindowSizeCanTakeTheWindowBelowZero() throws Exception {
        var window = new SendWindow(100);
        window.acquire(80, System.nanoTime() + LONG);
        window.resize(-65535 + 10);
        window.grow(65535 - 30, 1);
        assertEquals(List.of(0L), List.of(window.available()), "still nothing to send: 20 - 65525 + 65505");
        window.grow(5, 1);
        assertEquals(5, window.acquire(100, System.nanoTime() + LONG));
    }

    @Test
    void octetsTheConnectionWindowRefusedGoBackToTheStream() throws Exception {
        var stream = new SendWindow(100);
        var connection = new SendWindow(30);
        int granted = stream.acquire(100, System.nanoTime() + LONG);
        int sent = connection.acquire(granted, System.nanoTime() + LONG);
        stream.giveBack(granted - sent);
        assertEquals(List.of(30, 70L), List.of(sent, stream.available()));
    }

    @Test
    void aWindowAbove2To31Minus1IsAFlowControlErrorOfItsOwner() {
        var stream = new SendWindow(Setting.MAX_WINDOW_SIZE);
        Http2Exception onStream = assertThrows(Http2Exception.class, () -> stream.grow(1, 5));
        assertEquals(List.of(ErrorCode.FLOW_CONTROL_ERROR, 5), List.of(onStream.code(), onStream.streamId()));
        var connection = new SendWindow(Setting.MAX_WINDOW_SIZE - 1);
        Http2Exception onConnection = assertThrows(Http2Exception.class, () -> connection.grow(2, 0));
        assertTrue(onConnection.isConnectionError());
    }

    @Test
    void dataBeyondTheAdvertisedWindowIsAFlowControlError() throws Exception {
        var window = new ReceiveWindow(65535);
        window.received(65535, 3);
        Http2Exception e = assertThrows(Http2Exception.class, () -> window.received(1, 3));
        assertEquals(List.of(ErrorCode.FLOW_CONTROL_ERROR, 3), List.of(e.code(), e.streamId()));
    }

    @Test
    void theWindowReopensAsTheHandlerReadsInUpdatesOfAtLeastHalfOfIt() throws Exception {
        var window = new ReceiveWindow(65536);
        window.received(65536, 1);
        assertEquals(0, window.read(30000), "no WINDOW_UPDATE for less than half");
        assertEquals(40000, window.read(10000));
        window.received(40000, 1);
        assertThrows(Http2Exception.class, () -> window.received(1, 1), "exactly what was read came back");
    }
}
