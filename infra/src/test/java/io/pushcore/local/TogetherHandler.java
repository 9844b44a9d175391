package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * A function for {@link LocalRunnerTest} that holds each invocation until {@value #TOGETHER} are running at once in
 * its process (or 20 s passed), then answers {@code together <pid>} or {@code alone <pid>}.
 */
public class TogetherHandler implements RequestStreamHandler {

    static final int TOGETHER = 3;
    private static final CountDownLatch ARRIVED = new CountDownLatch(TOGETHER);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        ARRIVED.countDown();
        boolean together;
        try {
            together = ARRIVED.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            together = false;
        }
        output.write(("{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\"},\"body\":\""
                + (together ? "together " : "alone ") + ProcessHandle.current().pid() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
