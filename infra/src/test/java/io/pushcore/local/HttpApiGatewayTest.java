package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class HttpApiGatewayTest {

    private LambdaRuntimeApi send;
    private HttpApiGateway gateway;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        send = new LambdaRuntimeApi("send-function", "us-east-1", LambdaFunction.SEND.timeout());
        gateway = new HttpApiGateway(0, Map.of(LambdaFunction.SEND, send), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        gateway.close();
        send.close();
        client.shutdownNow();
    }

    private void runtime(java.util.function.Function<PollingRuntime.Invocation, String> handler) throws Exception {
        closeables.add(new PollingRuntime(send.endpoint("runtime-" + closeables.size(), timedOut -> {
        }).address(), handler));
    }

    private static String echo(JsonNode event, int status) {
        ObjectNode response = HttpApiEvents.JSON.createObjectNode();
        response.put("statusCode", status);
        response.putObject("headers").put("content-type", "application/json").put("x-route", event.path("routeKey").asText());
        response.putObject("multiValueHeaders").putArray("x-multi").add("a").add("b");
        response.putArray("cookies").add("session=1; Path=/");
        response.put("body", event.toString());
        return response.toString();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Content-Type", "application/json").header("X-Token", "secret")
                .header("Cookie", "a=1; b=2").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void turnsRequestIntoPayloadV2EventAndResultIntoHttpResponse() throws Exception {
        runtime(invocation -> echo(invocation.event(), 201));

        HttpResponse<String> response = post("/v1/bucket?x=1&x=2&y=%20z", "{\"hello\":\"wörld\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-route")).hasValue("ANY /v1/{proxy+}");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("session=1; Path=/");
        assertThat(response.headers().firstValue("apigw-requestid")).isPresent();
        JsonNode event = HttpApiEvents.JSON.readTree(response.body());
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("rawPath").asText()).isEqualTo("/v1/bucket");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1&x=2&y=%20z");
        assertThat(event.path("queryStringParameters").path("x").asText()).isEqualTo("1,2");
        assertThat(event.path("queryStringParameters").path("y").asText()).isEqualTo(" z");
        assertThat(event.path("headers").path("x-token").asText()).isEqualTo("secret");
        assertThat(event.path("headers").path("content-type").asText()).isEqualTo("application/json");
        assertThat(event.path("headers").has("cookie")).isFalse();
        assertThat(event.path("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
        assertThat(event.path("body").asText()).isEqualTo("{\"hello\":\"wörld\"}");
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        JsonNode http = event.path("requestContext").path("http");
        assertThat(http.path("method").asText()).isEqualTo("POST");
        assertThat(http.path("path").asText()).isEqualTo("/v1/bucket");
        assertThat(http.path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(http.path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(event.path("requestContext").path("stage").asText()).isEqualTo("$default");
        assertThat(event.path("requestContext").path("requestId").asText())
                .isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(event.path("requestContext").path("timeEpoch").asLong()).isPositive();
    }

    @Test
    void handsTheRuntimeTheLambdaInvocationHeaders() throws Exception {
        runtime(invocation -> {
            var h = invocation.headers();
            long deadline = Long.parseLong(h.get("lambda-runtime-deadline-ms").getFirst());
            return "{\"statusCode\":200,\"body\":\"" + h.get("lambda-runtime-invoked-function-arn").getFirst() + " "
                    + (deadline > System.currentTimeMillis()) + " " + h.get("lambda-runtime-trace-id").getFirst()
                            .startsWith("Root=1-")
                    + " " + h.get("lambda-runtime-aws-request-id").getFirst().length() + "\"}";
        });

        assertThat(post("/v1/x", "").body())
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:send-function true true 36");
    }

    @Test
    void answersManyConcurrentRequestsWithTheirOwnResults() throws Exception {
        for (int i = 0; i < 3; i++) {
            runtime(invocation -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "{\"statusCode\":200,\"body\":" + HttpApiEvents.JSON.valueToTree(
                        invocation.event().path("body").asText()) + "}";
            });
        }
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v1/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("request-" + i)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 60; i++) {
            assertThat(responses.get(i).get().body()).isEqualTo("request-" + i);
        }
    }

    @Test
    void treatsResultWithoutStatusCodeAsJsonBodyOf200() throws Exception {
        runtime(invocation -> "{\"plain\":true}");

        HttpResponse<String> response = post("/v1/x", "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"plain\":true}");
    }

    @Test
    void decodesBase64BodiesBothWays() throws Exception {
        runtime(invocation -> "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\""
                + invocation.event().path("body").asText() + "\",\"headers\":{\"x-b64\":\""
                + invocation.event().path("isBase64Encoded").asBoolean() + "\"}}");

        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v1/img"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] { 0, -1, 7 }))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.headers().firstValue("x-b64")).hasValue("true");
        assertThat(response.body()).containsExactly(0, -1, 7);
    }

    @Test
    void answers500WhenTheFunctionReportsAnError() throws Exception {
        runtime(invocation -> {
            throw new PollingRuntime.Failure("boom");
        });

        HttpResponse<String> response = post("/v1/bucket", "{}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void answers503WhenTheIntegrationTimesOut() throws Exception {
        runtime(invocation -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "{\"statusCode\":200}";
        });

        HttpResponse<String> response = post("/v1/bucket", "{}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void answers500WhenTheFunctionRunsIntoItsTimeoutBeforeTheIntegrationTimeout() throws Exception {
        try (LambdaRuntimeApi shortLived = new LambdaRuntimeApi("send-function", "us-east-1", Duration.ofMillis(300));
                HttpApiGateway api = new HttpApiGateway(0, Map.of(LambdaFunction.SEND, shortLived),
                        Duration.ofSeconds(20));
                PollingRuntime stuck = new PollingRuntime(shortLived.endpoint("stuck", timedOut -> {
                }).address(), invocation -> {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "{\"statusCode\":200}";
                })) {

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(api.baseUri() + "/v1/bucket"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            // API Gateway HTTP APIs answer a Lambda function error, a timeout included, with this 500
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        }
    }

    @Test
    void answers404ForRoutesWhoseFunctionIsNotRunning() throws Exception {
        HttpResponse<String> response = post("/v1/context/c1/events/delivered", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    @Test
    void answers413ForBodiesOverTheLambdaPayloadLimit() throws Exception {
        runtime(invocation -> "{\"statusCode\":200}");

        HttpResponse<String> response = post("/v1/bucket", "x".repeat(HttpApiGateway.MAX_EVENT_BYTES + 1));

        assertThat(response.statusCode()).isEqualTo(413);
    }

    // HTTP/1.1 persistence (RFC 9112 §9): a connection stays open unless a side says `Connection: close`, and a server
    // that is going to close says so in that response. Keep-alive clients (Node's agent, under CORE's JS SDK) hand an
    // open-looking socket to their next request; one closed without notice fails it with "socket hang up".

    @ParameterizedTest
    @ValueSource(strings = { "close", "Close", "TE, close" })
    void answersARequestThatAsksToCloseWithConnectionCloseAndThenCloses(String connection) throws Exception {
        runtime(invocation -> echo(invocation.event(), 200));

        try (Socket socket = connect()) {
            RawResponse response = exchange(socket, request("POST", "/v1/bucket", "Connection: " + connection, "{}"));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    @Test
    void keepsTheConnectionOpenForTheNextRequestsOtherwise() throws Exception {
        runtime(invocation -> echo(invocation.event(), 200));

        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                RawResponse response = exchange(socket, request("POST", "/v1/bucket", null, "{\"call\":" + i + "}"));

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("connection")).isNull();
                assertThat(HttpApiEvents.JSON.readTree(response.body()).path("body").asText())
                        .isEqualTo("{\"call\":" + i + "}");
            }
        }
    }

    @Test
    void readsTheWholeBodyOfARequestItRefusesSoTheConnectionStaysUsable() throws Exception {
        runtime(invocation -> echo(invocation.event(), 200));

        try (Socket socket = connect()) {
            // more than the JDK server drains on its own before it drops a connection
            RawResponse refused = exchange(socket,
                    request("POST", "/v1/context/c1/events/delivered", null, "x".repeat(200_000)));
            RawResponse next = exchange(socket, request("POST", "/v1/bucket", null, "{}"));

            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.header("connection")).isNull();
            assertThat(next.status()).isEqualTo(200);
        }
    }

    @Test
    void saysConnectionCloseWhenItAnswersBeforeTheBodyEnds() throws Exception {
        runtime(invocation -> echo(invocation.event(), 200));

        try (Socket socket = connect()) {
            RawResponse response = exchange(socket,
                    request("POST", "/v1/bucket", null, "x".repeat(HttpApiGateway.MAX_EVENT_BYTES + 1)));

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    @Test
    void closesHttp10ConnectionsUnlessAskedToKeepThemAlive() throws Exception {
        runtime(invocation -> echo(invocation.event(), 200));

        try (Socket socket = connect()) {
            RawResponse response = exchange(socket, "GET /v1/bucket HTTP/1.0\r\nHost: localhost\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualToIgnoringCase("close");
            assertThat(closedByServer(socket)).isTrue();
        }
    }

    private record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String request(String method, String path, String connection, String body) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (connection == null ? "" : connection + "\r\n") + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Writes one request and reads its response (status line, headers, a Content-Length body) off the socket. */
    private static RawResponse exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server mid-response");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).stripTrailing();
    }

    /** True when the server closes its end: the next read ends the stream instead of timing out. */
    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }
}
