package io.pushcore.send.quota;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a token's quota counts, by its wire name ({@code useCaseName}). */
public enum QuotaUseCase {

    /** {@code POST /v1/bucket}, one per request. */
    BUCKET_CREATION("bucket_creation"),
    /** {@code context/data}, {@code context/silent} and {@code context/raw}, one per request. */
    CONTEXT_CREATION("context_creation"),
    /** Send requests, bulk or one-shot, one per request. */
    SEND_REQUESTS("send_requests"),
    /** Receivers of send requests: a 1000-receiver send counts 1000. */
    SEND_RECEIVERS("send_receivers");

    private final String wire;

    QuotaUseCase(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<QuotaUseCase> fromWire(String name) {
        return Arrays.stream(values()).filter(u -> u.wire.equals(name)).findFirst();
    }

    /** {@code bucket_creation, context_creation, …}: for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(QuotaUseCase::wire).collect(Collectors.joining(", "));
    }
}
