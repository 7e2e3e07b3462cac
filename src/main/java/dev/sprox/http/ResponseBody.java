package dev.sprox.http;

import java.io.IOException;
import java.io.OutputStream;

/** What follows a response head. */
public sealed interface ResponseBody {

    long UNKNOWN_LENGTH = -1;

    /** The number of bytes, or {@link #UNKNOWN_LENGTH} when they are streamed chunked. */
    long length();

    record Empty() implements ResponseBody {
        @Override
        public long length() {
            return 0;
        }
    }

    record Bytes(byte[] data) implements ResponseBody {
        @Override
        public long length() {
            return data.length;
        }
    }

    /** A body written by a {@link Writer} while the connection's virtual thread blocks on the socket. */
    record Streamed(long length, Writer writer) implements ResponseBody {}

    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }
}
