package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void sendsClientEventsToEventFunctionWithPathParameters() {
        var match = Route.find("POST", "/v1/context/ctx-1/events/clicked").orElseThrow();

        assertThat(match.route().function()).isEqualTo(LambdaFunction.EVENT);
        assertThat(match.pathParameters()).isEqualTo(Map.of("contextId", "ctx-1", "kind", "clicked"));
    }

    @Test
    void sendsPreflightForClientEventsToEventFunction() {
        assertThat(Route.find("OPTIONS", "/v1/context/ctx-1/events/delivered").orElseThrow().route().function())
                .isEqualTo(LambdaFunction.EVENT);
    }

    @Test
    void sendsEverythingElseToSendFunction() {
        for (String path : new String[] { "/", "/v1/bucket", "/v1/bucket/b/context/c/send", "/v1/context/c/events",
                "/v1/context/c/events/delivered/extra", "/q/openapi" }) {
            assertThat(Route.find("POST", path).orElseThrow().route().function()).as(path)
                    .isEqualTo(LambdaFunction.SEND);
        }
    }
}
