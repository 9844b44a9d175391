import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A function process for the runner's tests: speaks the Lambda Runtime API like Quarkus' poll loop does. */
public class FakeFunction {
    public static void main(String[] args) throws Exception {
        String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime/invocation/";
        HttpClient client = HttpClient.newHttpClient();
        System.out.println("fake function up as " + System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
        while (true) {
            HttpResponse<String> next = client.send(HttpRequest.newBuilder(URI.create(base + "next")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            System.out.println("invoked " + id);
            String body = "{\"statusCode\":200,\"body\":\"" + System.getenv("GREETING") + "\"}";
            client.send(HttpRequest.newBuilder(URI.create(base + id + "/response"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        }
    }
}
