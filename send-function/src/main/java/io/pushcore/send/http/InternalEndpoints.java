package io.pushcore.send.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.pushcore.send.config.SendConfig;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * Unless {@code send.api.expose-internal}, every {@code /q/} path (health, metrics, OpenAPI) answers 404 before
 * Quarkus' own handlers run: the deployed API routes no {@code /q/} path either, this holds even if one did.
 */
@ApplicationScoped
public class InternalEndpoints {

    void hide(@Observes Router router, SendConfig config) {
        if (config.api().exposeInternal()) {
            return;
        }
        String body = Json.encode(new ErrorResponse("not found", List.of("request: not found")));
        router.route("/q/*").order(Integer.MIN_VALUE).handler(context -> context.response().setStatusCode(404)
                .putHeader("content-type", "application/json").end(body));
    }
}
