package dev.sprox.ops;

/**
 * The {@code ops} block: limits of the ops endpoints, which every default listener serves.
 *
 * @param speedtestMaxBytes the largest {@code /speedtest} answer; one request must not be a gigabyte of egress
 */
public record OpsConfig(long speedtestMaxBytes) {
    public static final long DEFAULT_SPEEDTEST_MAX_BYTES = 8L * 1024 * 1024;
    public static final long MAX_SPEEDTEST_MAX_BYTES = 1024L * 1024 * 1024;
    public static final OpsConfig DEFAULT = new OpsConfig(DEFAULT_SPEEDTEST_MAX_BYTES);
}
