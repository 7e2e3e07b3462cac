package dev.sprox.http2;

/** RFC 9113 §7: the codes RST_STREAM and GOAWAY carry. */
public enum ErrorCode {
    NO_ERROR(0x0), PROTOCOL_ERROR(0x1), INTERNAL_ERROR(0x2), FLOW_CONTROL_ERROR(0x3), SETTINGS_TIMEOUT(0x4),
    STREAM_CLOSED(0x5), FRAME_SIZE_ERROR(0x6), REFUSED_STREAM(0x7), CANCEL(0x8), COMPRESSION_ERROR(0x9),
    CONNECT_ERROR(0xa), ENHANCE_YOUR_CALM(0xb), INADEQUATE_SECURITY(0xc), HTTP_1_1_REQUIRED(0xd);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** §7: an unknown code is not an error, and is treated as INTERNAL_ERROR. */
    public static ErrorCode of(int code) {
        for (ErrorCode known : values()) {
            if (known.code == code) {
                return known;
            }
        }
        return INTERNAL_ERROR;
    }
}
