package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * A function for {@link LocalRunnerTest} that never finishes requests for {@code /v1/stuck} (like the Quarkus handler
 * waiting forever on its own future) and answers anything else with its process id.
 */
public class StuckHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        if (event.contains("\"rawPath\":\"/v1/stuck\"")) {
            System.out.println("stuck in " + context.getAwsRequestId());
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        output.write(("{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\"},\"body\":\""
                + ProcessHandle.current().pid() + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
