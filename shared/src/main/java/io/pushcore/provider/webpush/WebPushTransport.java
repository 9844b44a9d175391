package io.pushcore.provider.webpush;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.pushcore.net.NetworkPolicy;

/**
 * The HTTP side of Web Push, shared by every {@link WebPushProvider} of a function: one pooled
 * {@link HttpClient} per push-service origin (HTTP/2 for https, HTTP/1.1 for plain http), fixed connect and
 * request timeouts, and the {@link NetworkPolicy} applied to every endpoint before a request leaves. Thread-safe;
 * {@link #close()} it when the function shuts down.
 */
public final class WebPushTransport implements AutoCloseable {

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final NetworkPolicy policy;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public WebPushTransport(Duration connectTimeout, Duration requestTimeout, NetworkPolicy policy) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public NetworkPolicy policy() {
        return policy;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * POSTs {@code body} to {@code endpoint} with {@code headers} and returns the response with its body as text.
     *
     * @throws io.pushcore.net.ForbiddenDestinationException when the policy refuses the endpoint (nothing is sent)
     * @throws java.net.http.HttpTimeoutException when the connection or the response took too long
     */
    public HttpResponse<String> post(URI endpoint, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        policy.check(endpoint);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return clientFor(endpoint).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient clientFor(URI endpoint) {
        return clients.computeIfAbsent(VapidTokens.origin(endpoint), origin -> HttpClient.newBuilder()
                .version(origin.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        clients.clear();
        executor.close();
    }
}
