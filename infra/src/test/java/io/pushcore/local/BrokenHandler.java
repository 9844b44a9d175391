package io.pushcore.local;

import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** A function for {@link LocalRunnerTest} whose init fails, like a Quarkus app missing required configuration. */
public class BrokenHandler implements RequestStreamHandler {

    public BrokenHandler() {
        throw new IllegalStateException("missing configuration: send.state.bucket");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
    }
}
