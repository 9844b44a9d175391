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
    void sendsTheRestOfV1ToSendFunction() {
        for (String path : new String[] { "/v1/bucket", "/v1/bucket/b/context/c/send", "/v1/context/c/events",
                "/v1/context/c/events/delivered/extra", "/v1/admin/token" }) {
            assertThat(Route.find("POST", path).orElseThrow().route().function()).as(path)
                    .isEqualTo(LambdaFunction.SEND);
        }
        assertThat(Route.find("GET", "/").orElseThrow().route().function()).isEqualTo(LambdaFunction.SEND);
        assertThat(Route.find("POST", "/v1/bucket").orElseThrow().pathParameters())
                .isEqualTo(Map.of("proxy", "bucket"));
    }

    @Test
    void routesNothingInternal() {
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/openapi", "/v1", "/v1/",
                "/metrics", "/x/v1/bucket" }) {
            assertThat(Route.find("GET", path)).as(path).isEmpty();
        }
        assertThat(Route.find("POST", "/")).isEmpty();
    }
}
