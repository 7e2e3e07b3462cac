package dev.sprox.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    @Test
    void unauthenticatedIs401WithABearerChallenge() {
        Response response = ErrorResponses.of(new RequestRejected(RequestError.UNAUTHENTICATED, "password required"));
        assertEquals(401, response.status());
        assertEquals(Optional.of("Bearer realm=\"sprox\""), response.headers().first("WWW-Authenticate"));
    }

    @Test
    void forbiddenIs403WithoutAChallenge() {
        Response response = ErrorResponses.of(new RequestRejected(RequestError.FORBIDDEN, "wrong password"));
        assertEquals(403, response.status());
        assertEquals(Optional.empty(), response.headers().first("WWW-Authenticate"));
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertEquals(Optional.of("3"), retryAfter(Duration.ofMillis(2001)));
        assertEquals(Optional.of("2"), retryAfter(Duration.ofSeconds(2)));
        assertEquals(Optional.of("1"), retryAfter(Duration.ofNanos(1)));
        assertEquals(Optional.empty(), ErrorResponses.of(new RequestRejected(RequestError.RATE_LIMITED, "slow down"))
                .headers().first("Retry-After"));
    }

    private static Optional<String> retryAfter(Duration wait) {
        return ErrorResponses.of(new RequestRejected(RequestError.RATE_LIMITED, "slow down", Optional.of(wait)))
                .headers().first("Retry-After");
    }
}
