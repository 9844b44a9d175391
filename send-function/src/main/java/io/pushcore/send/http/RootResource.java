package io.pushcore.send.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.pushcore.send.config.SendConfig;

/** {@code GET /}: unauthenticated hello, as CORE's. */
@Path("/")
public class RootResource {

    private final SendConfig.Hello hello;
    /** Where the OpenAPI document is, only where {@code /q/} is served (dev, test, local); left out on Lambda. */
    private final String docs;

    RootResource(SendConfig config) {
        this.hello = config.hello();
        this.docs = config.api().exposeInternal() ? "/q/openapi" : null;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public HelloResponse hello() {
        return new HelloResponse("v1", hello.discord().orElse(null), hello.github().orElse(null),
                hello.email().orElse(null), "pushcore", docs);
    }
}
