package io.pushcore.send.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pushcore.send.support.InProcessAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** As in production ({@code send.api.expose-internal=false}): no {@code /q/} endpoint answers, the API does. */
@QuarkusTest
@TestProfile(InternalEndpointsTest.Production.class)
class InternalEndpointsTest {

    public static class Production extends InProcessAws {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("send.api.expose-internal", "false");
        }
    }

    @Test
    void internalEndpointsAnswerNotFound() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/openapi" }) {
            given().get(path).then().statusCode(404).body("message", equalTo("not found"));
        }
        given().header("authorization", "Bearer pushcore-dev-key").get("/q/metrics").then().statusCode(404);
    }

    @Test
    void theApiStillAnswers() {
        given().get("/").then().statusCode(200).body("currentVersion", equalTo("v1"));
        given().contentType("application/json").body("{}").post("/v1/bucket").then().statusCode(401);
    }
}
