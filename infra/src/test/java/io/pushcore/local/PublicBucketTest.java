package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;

/** The local API serves the CDN bucket's images like the public bucket URL does in AWS. */
class PublicBucketTest {

    static AwsStandIns aws;
    static HttpApiGateway gateway;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        aws = AwsStandIns.start();
        aws.createBucket(LocalRunner.CDN_BUCKET);
        gateway = new HttpApiGateway(0, Map.of(), Duration.ofSeconds(2));
        gateway.serve(new PublicBucket(LocalRunner.CDN_PATH, aws.s3(), LocalRunner.CDN_BUCKET, "images/"));
        aws.s3().putObject(b -> b.bucket(LocalRunner.CDN_BUCKET).key("images/abc-icon.png").contentType("image/png")
                .cacheControl("public, max-age=31536000, immutable"), RequestBody.fromBytes(new byte[] { 1, 2, 3 }));
        aws.s3().putObject(b -> b.bucket(LocalRunner.CDN_BUCKET).key("private/notes.txt").contentType("text/plain"),
                RequestBody.fromBytes(new byte[] { 9 }));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        aws.close();
        client.shutdownNow();
    }

    static HttpResponse<byte[]> request(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesAnImageWithItsStoredContentTypeAndCacheHeader() throws Exception {
        HttpResponse<byte[]> response = request("GET", "/cdn/images/abc-icon.png");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsExactly(1, 2, 3);
        assertThat(response.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(response.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
    }

    @Test
    void servesNothingOutsideTheImagesPrefix() throws Exception {
        assertThat(request("GET", "/cdn/private/notes.txt").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/cdn/images/../private/notes.txt").statusCode()).isEqualTo(404);
        assertThat(request("GET", "/cdn/images/missing.png").statusCode()).isEqualTo(404);
    }

    @Test
    void isReadOnly() throws Exception {
        assertThat(request("PUT", "/cdn/images/abc-icon.png").statusCode()).isEqualTo(403);
        assertThat(request("DELETE", "/cdn/images/abc-icon.png").statusCode()).isEqualTo(403);
    }

    @Test
    void leavesOtherPathsToTheFunctions() throws Exception {
        assertThat(request("GET", "/v1/bucket").statusCode()).as("no function registered: API Gateway's 404")
                .isEqualTo(404);
        assertThat(new String(request("GET", "/v1/bucket").body())).contains("Not Found");
    }
}
