package dev.sprox.server;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Tokens;
import java.util.ArrayList;
import java.util.List;

/** How the length of a request body is known (RFC 9112 §6.3), or why it cannot be trusted. */
sealed interface BodyFraming {

    record None() implements BodyFraming {}

    record Fixed(long length) implements BodyFraming {}

    record Chunked() implements BodyFraming {}

    static BodyFraming of(RequestHead head) {
        List<String> transferEncodings = head.headers().all("Transfer-Encoding");
        List<String> contentLengths = head.headers().all("Content-Length");
        if (!transferEncodings.isEmpty()) {
            if (!contentLengths.isEmpty()) {
                // RFC 9112 §6.3: both together are the classic smuggling shape; refuse rather than pick one.
                throw ambiguous("Content-Length together with Transfer-Encoding");
            }
            if (!head.isHttp11()) {
                throw ambiguous("Transfer-Encoding in an HTTP/1.0 request");
            }
            return chunked(transferEncodings);
        }
        if (contentLengths.isEmpty()) {
            return new None();
        }
        long length = contentLength(contentLengths);
        return length == 0 ? new None() : new Fixed(length);
    }

    private static BodyFraming chunked(List<String> headerValues) {
        var codings = new ArrayList<String>();
        for (String value : headerValues) {
            for (String element : value.split(",", -1)) {
                codings.add(element.strip());
            }
        }
        for (int i = 0; i < codings.size(); i++) {
            String coding = codings.get(i);
            boolean last = i == codings.size() - 1;
            if (coding.equalsIgnoreCase("chunked")) {
                if (!last) {
                    throw ambiguous("chunked must be the final transfer coding, and appear once");
                }
            } else if (!Tokens.isToken(coding) || last) {
                throw ambiguous("Transfer-Encoding must end in chunked");
            }
        }
        if (codings.size() > 1) {
            throw new RequestRejected(RequestError.UNSUPPORTED_TRANSFER_CODING,
                    "only the chunked transfer coding is supported");
        }
        return new Chunked();
    }

    /** Several Content-Length values (in one field or many) are fine only when they all agree. */
    private static long contentLength(List<String> headerValues) {
        String agreed = null;
        for (String value : headerValues) {
            for (String element : value.split(",", -1)) {
                String digits = element.strip();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw ambiguous("malformed Content-Length");
                }
                if (agreed != null && !agreed.equals(digits)) {
                    throw ambiguous("conflicting Content-Length values");
                }
                agreed = digits;
            }
        }
        return Long.parseLong(agreed);
    }

    private static RequestRejected ambiguous(String why) {
        return new RequestRejected(RequestError.AMBIGUOUS_FRAMING, why);
    }
}
