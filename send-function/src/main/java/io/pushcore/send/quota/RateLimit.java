package io.pushcore.send.quota;

/** At most {@code quota} units per {@code interval} milliseconds (CORE's {@code SetUseCaseRateLimitForTokenCommand}). */
public record RateLimit(long quota, long interval) {

    public static final long MAX_QUOTA = 100_000_000;
    public static final long MIN_INTERVAL = 1_000;
    public static final long MAX_INTERVAL = 86_400_000;

    public RateLimit {
        if (quota < 1 || quota > MAX_QUOTA || interval < MIN_INTERVAL || interval > MAX_INTERVAL) {
            throw new IllegalArgumentException("rate limit out of bounds: " + quota + " per " + interval + " ms");
        }
    }
}
