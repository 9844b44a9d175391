package io.pushcore.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * A function for {@link LocalRunnerTest}, zipped like a {@code function.zip}: answers HTTP API events with what it
 * saw, and logs scheduled events.
 */
public class EchoHandler implements RequestStreamHandler {

    private static final Pattern RAW_PATH = Pattern.compile("\"rawPath\":\"([^\"]*)\"");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        if (event.contains("\"detail-type\":\"Scheduled Event\"")) {
            System.out.println("scheduled event for " + context.getFunctionName());
            output.write("null".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Matcher path = RAW_PATH.matcher(event);
        String body = (path.find() ? path.group(1) : "?") + " " + context.getFunctionName() + " "
                + System.getenv("SEND_STATE_BUCKET") + " " + (context.getRemainingTimeInMillis() > 0) + " "
                + context.getAwsRequestId().length();
        output.write(("{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\"},\"body\":\"" + body + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
