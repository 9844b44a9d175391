package io.pushcore.testing.core;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The contract filter against a local server whose answers each test scripts. */
class CoreContractTest {

    private static HttpServer server;
    private static final Map<String, Object[]> ANSWERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Object[] answer = ANSWERS.getOrDefault(exchange.getRequestURI().getPath(), new Object[] { 404, "{}" });
            byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.length > 2 ? (String) answer[2]
                    : "application/json");
            exchange.sendResponseHeaders((int) answer[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static RequestSpecification api() {
        return given().port(server.getAddress().getPort()).filter(CoreContract.filter());
    }

    @Test
    void passesAnExchangeTheDocumentAllows() {
        ANSWERS.put("/", new Object[] { 200, "{\"currentVersion\":\"v1\",\"service\":\"pushcore\"}" });
        assertThat(api().get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void failsAResponseBodyOutsideTheDocument() {
        ANSWERS.put("/", new Object[] { 200, "{\"currentVersion\":1}" });
        assertThatThrownBy(() -> api().get("/")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the response breaks CORE's openapi.json: GET / -> 200");
    }

    @Test
    void failsAnOutOfContractRequestThatIsAccepted() {
        ANSWERS.put("/v1/bucket", new Object[] { 200, "{\"bucketId\":\"b\",\"credentials\":[]}" });
        // CreateBucketDto requires callbackConfig
        assertThatThrownBy(() -> api().contentType(ContentType.JSON).body("{\"providerCredentials\":[]}")
                .post("/v1/bucket")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("CORE's openapi.json refuses this request, but pushcore answered");
    }

    @Test
    void passesAnOutOfContractRequestRefusedAsCoreWould() {
        ANSWERS.put("/v1/bucket", new Object[] { 400, "{\"message\":\"invalid\",\"errors\":[\"callbackConfig\"]}" });
        assertThat(api().contentType(ContentType.JSON).body("{\"providerCredentials\":[]}").post("/v1/bucket")
                .statusCode()).isEqualTo(400);
        ANSWERS.put("/v1/bucket", new Object[] { 400, "{\"message\":[\"not a string\"]}" });
        assertThatThrownBy(() -> api().contentType(ContentType.JSON).body("{\"providerCredentials\":[]}")
                .post("/v1/bucket")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the response breaks CORE's openapi.json");
    }

    /** The one whitelisted difference: pushcore's 5xx body is JSON where CORE documents text/plain. */
    @Test
    void acceptsAJsonServerError() {
        ANSWERS.put("/", new Object[] { 503, "{\"message\":\"unavailable\",\"errors\":[]}" });
        assertThat(api().get("/").statusCode()).isEqualTo(503);
    }
}
