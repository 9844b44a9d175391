package io.pushcore.provider.webpush;

import java.net.http.HttpClient;
import java.time.Duration;

import io.pushcore.net.NetworkPolicy;

// TEMPORARY stand-in for helper A's shared class; deleted when main has the real one.
public final class WebPushTransport implements AutoCloseable {
    final HttpClient client;
    final Duration requestTimeout;
    final NetworkPolicy policy;

    public WebPushTransport(Duration connectTimeout, Duration requestTimeout, NetworkPolicy policy) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.requestTimeout = requestTimeout;
        this.policy = policy;
    }

    @Override
    public void close() {
        client.close();
    }
}
