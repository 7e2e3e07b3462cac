package dev.sprox.http2;

import static dev.sprox.http2.HpackExamplesTest.field;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the encoder keeps in its dynamic table across the answers of one connection. */
class HpackEncoderTest {

    @Test
    void aRequestIdNewInEveryAnswerStaysOutOfTheTableSoRepeatedFieldsStayIndexed() throws HpackException {
        var encoder = new HpackEncoder(4096, true);
        var decoder = new HpackDecoder(4096, 65536);
        for (int i = 0; i < 200; i++) {
            String requestId = HexFormat.of().toHexDigits(i * 0x9E3779B97F4A7C15L).repeat(2);
            List<HeaderField> answer = List.of(field(":status", "200"), field("server", "sprox"),
                    field("content-type", "application/json"), field("x-request-id", requestId));
            assertEquals(answer, decoder.decode(encoder.encode(answer)));
            // server (6 + 5 + 32) and content-type (12 + 16 + 32) only: no request id enters the table, so none
            // evicts them and they go out as one-octet indexes in every answer.
            assertEquals(43 + 60, decoder.tableSize(), "table after answer " + i);
        }
    }
}
