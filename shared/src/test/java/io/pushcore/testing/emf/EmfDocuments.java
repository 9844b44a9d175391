package io.pushcore.testing.emf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads CloudWatch Embedded Metric Format lines the way CloudWatch does and checks each against the format's rules,
 * so tests can assert what a function's log would put on the dashboard.
 */
public final class EmfDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfDocuments() {
    }

    /** The EMF documents among {@code lines} (other log lines are skipped), each checked by {@link #assertValid}. */
    public static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> documents = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("{\"_aws\"")) {
                continue;
            }
            try {
                JsonNode document = JSON.readTree(line);
                assertValid(document);
                documents.add(document);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        return documents;
    }

    /**
     * What CloudWatch requires of an EMF document: a root {@code _aws} with a millisecond {@code Timestamp} and
     * directives whose dimension keys and metric names are all root members (dimension values strings, metric values
     * numbers or arrays of 1 to 100 numbers), at most 30 keys a dimension set and 100 metrics a directive.
     */
    public static void assertValid(JsonNode document) {
        assertThat(document.at("/_aws/Timestamp").isIntegralNumber()).as("Timestamp").isTrue();
        JsonNode directives = document.at("/_aws/CloudWatchMetrics");
        assertThat(directives.isArray() && !directives.isEmpty()).as("CloudWatchMetrics").isTrue();
        for (JsonNode directive : directives) {
            assertThat(directive.path("Namespace").isTextual()).as("Namespace").isTrue();
            for (JsonNode set : directive.path("Dimensions")) {
                assertThat(set.size()).isLessThanOrEqualTo(30);
                set.forEach(key -> assertThat(document.path(key.asText()).isTextual()).as(key.asText()).isTrue());
            }
            JsonNode metrics = directive.path("Metrics");
            assertThat(metrics.size()).isBetween(1, 100);
            for (JsonNode metric : metrics) {
                JsonNode value = document.get(metric.path("Name").asText());
                assertThat(value).as(metric.toString()).isNotNull();
                assertThat(value.isNumber() || value.isArray() && value.size() <= 100 && !value.isEmpty())
                        .as(metric.toString()).isTrue();
                assertThat(metric.path("Unit").asText()).isIn("Count", "Milliseconds");
            }
        }
    }

    /** The sum of {@code metric} over the documents whose dimensions are exactly {@code dimensions}. */
    public static double sum(List<JsonNode> documents, String metric, Map<String, String> dimensions) {
        double sum = 0;
        for (JsonNode document : documents) {
            if (document.has(metric) && dimensionsOf(document).equals(dimensions)) {
                JsonNode value = document.get(metric);
                if (value.isArray()) {
                    for (JsonNode v : value) {
                        sum += v.asDouble();
                    }
                } else {
                    sum += value.asDouble();
                }
            }
        }
        return sum;
    }

    /** How many values of {@code metric} the documents with exactly {@code dimensions} carry (timers: durations). */
    public static int values(List<JsonNode> documents, String metric, Map<String, String> dimensions) {
        int count = 0;
        for (JsonNode document : documents) {
            if (document.has(metric) && dimensionsOf(document).equals(dimensions)) {
                count += document.get(metric).isArray() ? document.get(metric).size() : 1;
            }
        }
        return count;
    }

    /** The dimension values of a document's first (most specific) dimension set. */
    public static Map<String, String> dimensionsOf(JsonNode document) {
        Map<String, String> dimensions = new java.util.TreeMap<>();
        document.at("/_aws/CloudWatchMetrics/0/Dimensions/0")
                .forEach(key -> dimensions.put(key.asText(), document.path(key.asText()).asText()));
        return dimensions;
    }
}
