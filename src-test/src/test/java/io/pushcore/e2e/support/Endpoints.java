package io.pushcore.e2e.support;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.pushcore.local.LocalRunner;

/**
 * The system under test. By default a {@link LocalRunner} on a random port running the packaged functions of this
 * reactor; with {@code -Dpushcore.e2e.base-url=https://...} (and {@code -Dpushcore.e2e.api-key=...}) a deployed
 * stage instead, whose functions must then be able to reach the tests' local push endpoints.
 */
public final class Endpoints implements AutoCloseable {

    private final URI baseUri;
    private final String apiKey;
    private final LocalRunner runner;

    private Endpoints(URI baseUri, String apiKey, LocalRunner runner) {
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.runner = runner;
    }

    public static Endpoints start(Map<String, String> localEnvironment) throws Exception {
        return start(localEnvironment, LocalRunner.Settings.defaults(Path.of("")).scheduleInterval());
    }

    /** @param scheduleInterval how often the local runner triggers the aggregator */
    public static Endpoints start(Map<String, String> localEnvironment, Duration scheduleInterval) throws Exception {
        String deployed = System.getProperty("pushcore.e2e.base-url", "");
        if (!deployed.isBlank()) {
            return new Endpoints(URI.create(deployed.replaceAll("/+$", "")),
                    System.getProperty("pushcore.e2e.api-key", LocalRunner.DEV_API_KEY), null);
        }
        LocalRunner runner = LocalRunner.start(LocalRunner.Settings.defaults(Path.of("..").toAbsolutePath().normalize())
                .withApiPort(0).withInstances(Integer.getInteger("pushcore.e2e.instances", 1))
                .withEnvironment(localEnvironment).withScheduleInterval(scheduleInterval));
        return new Endpoints(URI.create("http://127.0.0.1:" + runner.apiPort()), LocalRunner.DEV_API_KEY, runner);
    }

    /** Root of the API, without {@code /v1}. */
    public URI baseUri() {
        return baseUri;
    }

    public String apiKey() {
        return apiKey;
    }

    public PushcoreClient client() {
        return new PushcoreClient(baseUri, apiKey);
    }

    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
    }
}
