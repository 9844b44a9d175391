package io.pushcore.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code template.yaml} against the reactor, the local runner's routing and the keys the functions read. */
class InfraTemplateTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final JsonNode TEMPLATE = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("infra/template.yaml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode resources() {
        return TEMPLATE.path("Resources");
    }

    private static Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        resources().properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    private static JsonNode function(LambdaFunction function) {
        return resources().path(function.logicalId());
    }

    private static int timeoutSeconds(JsonNode function) {
        JsonNode own = function.path("Properties").path("Timeout");
        return (own.isMissingNode() ? TEMPLATE.path("Globals").path("Function").path("Timeout") : own).asInt();
    }

    @Test
    void isASamTemplateWithExactlyTheRunnersFunctions() {
        assertThat(TEMPLATE.path("Transform").asText()).isEqualTo("AWS::Serverless-2016-10-31");
        assertThat(resourcesOfType("AWS::Serverless::Function").keySet())
                .containsExactlyInAnyOrderElementsOf(Stream.of(LambdaFunction.values()).map(LambdaFunction::logicalId).toList());
    }

    @Test
    void everyCodeUriIsTheFunctionZipOfAReactorModule() throws IOException {
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        for (LambdaFunction function : LambdaFunction.values()) {
            String codeUri = function(function).path("Properties").path("CodeUri").asText();
            assertThat(codeUri).as(function.logicalId()).isEqualTo("../" + function.module() + "/target/function.zip");
            assertThat(rootPom).contains("<module>" + function.module() + "</module>");
            assertThat(ROOT.resolve(function.module()).resolve("pom.xml")).isRegularFile();
        }
    }

    @Test
    void handlerAndRuntimeAreSetOnceInGlobals() {
        JsonNode globals = TEMPLATE.path("Globals").path("Function");
        assertThat(globals.path("Handler").asText()).isEqualTo(LambdaFunction.HANDLER);
        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        resourcesOfType("AWS::Serverless::Function").forEach((name, function) -> {
            assertThat(function.path("Properties").has("Handler")).as(name).isFalse();
            assertThat(function.path("Properties").has("Runtime")).as(name).isFalse();
        });
    }

    /** The local runner ends invocations at these timeouts, so they must be the template's. */
    @ParameterizedTest
    @EnumSource(LambdaFunction.class)
    void runnerFunctionTimeoutsAreTheTemplates(LambdaFunction function) {
        assertThat(function.timeout()).as(function.logicalId())
                .isEqualTo(Duration.ofSeconds(timeoutSeconds(function(function))));
    }

    @Test
    void httpFunctionsTimeOutBeforeApiGatewayDoes() {
        for (LambdaFunction function : LambdaFunction.values()) {
            if (function.trigger() != LambdaFunction.Trigger.HTTP) {
                continue;
            }
            assertThat(timeoutSeconds(function(function))).as(function.logicalId()).isLessThan(29);
            function(function).path("Properties").path("Events").forEach(event -> {
                assertThat(event.path("Type").asText()).isEqualTo("HttpApi");
                assertThat(event.path("Properties").path("PayloadFormatVersion").asText()).isEqualTo("2.0");
                assertThat(event.path("Properties").path("TimeoutInMillis").asInt()).isLessThanOrEqualTo(29_000);
            });
        }
    }

    @Test
    void apiRoutesAreTheLocalRunnersRoutingTable() {
        Map<String, LambdaFunction> routes = new HashMap<>();
        for (LambdaFunction function : LambdaFunction.values()) {
            function(function).path("Properties").path("Events").forEach(event -> {
                if (event.path("Type").asText().equals("HttpApi")) {
                    JsonNode p = event.path("Properties");
                    String key = p.has("Path") ? p.path("Method").asText().toUpperCase(Locale.ROOT) + " "
                            + p.path("Path").asText() : "$default";
                    routes.put(key, function);
                }
            });
        }
        Map<String, LambdaFunction> expected = new HashMap<>();
        Route.TABLE.forEach(r -> expected.put(r.routeKey(), r.function()));
        assertThat(routes).isEqualTo(expected);
    }

    /** No $default route: only the explicit /v1 routes and GET / reach a function, never Quarkus' /q endpoints. */
    @Test
    void internalEndpointsAreNotRouted() {
        List<String> keys = new ArrayList<>();
        for (LambdaFunction function : LambdaFunction.values()) {
            function(function).path("Properties").path("Events").forEach(event -> {
                if (event.path("Type").asText().equals("HttpApi")) {
                    assertThat(event.path("Properties").has("Path")).as("a $default route").isTrue();
                    keys.add(event.path("Properties").path("Method").asText() + " "
                            + event.path("Properties").path("Path").asText());
                }
            });
        }
        assertThat(keys).allSatisfy(key -> assertThat(key.split(" ")[1]).matches("/|/v1/.+"))
                .noneMatch(key -> key.contains("/q"));
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/live", "/q/openapi")) {
            assertThat(Route.find("GET", path)).as(path).isEmpty();
        }
    }

    /**
     * Client events (unauthenticated, up to 10,000/s) have their own throttle sized to that target; the authenticated
     * routes keep the shared, smaller default.
     */
    @Test
    void clientEventRouteHasItsOwnThrottleSizedToTheEventTarget() {
        JsonNode api = resources().path("HttpApi").path("Properties");
        JsonNode events = api.path("RouteSettings").path(Route.TABLE.get(0).routeKey());
        assertThat(Route.TABLE.get(0).function()).isEqualTo(LambdaFunction.EVENT);
        assertThat(events.path("ThrottlingRateLimit").asInt()).isEqualTo(10_000);
        assertThat(events.path("ThrottlingBurstLimit").asInt()).isGreaterThanOrEqualTo(5_000);
        assertThat(api.path("DefaultRouteSettings").path("ThrottlingRateLimit").asInt()).isEqualTo(200);
        assertThat(api.path("RouteSettings").size()).isEqualTo(1);
    }

    @Test
    void everyFunctionRestoresFromASnapStartSnapshotOfItsPublishedVersion() {
        JsonNode globals = TEMPLATE.path("Globals").path("Function");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).as("triggers call an alias of a published version")
                .isNotEmpty();
        for (LambdaFunction function : LambdaFunction.values()) {
            JsonNode properties = function(function).path("Properties");
            assertThat(properties.has("SnapStart") || properties.has("AutoPublishAlias")).as(function.module())
                    .isFalse();
        }
    }

    /** The series the README's "Operating" section describes; each pushcore.* name is one the code emits. */
    @Test
    void dashboardShowsTheOperatingSeriesByNamesTheCodeEmits() throws IOException {
        String body = resources().path("Dashboard").path("Properties").path("DashboardBody").path("Fn::Sub").asText();
        JsonNode dashboard = new ObjectMapper().readTree(body.replaceAll("\\$\\{[^}]+}", "x"));
        assertThat(dashboard.path("widgets").size()).isGreaterThanOrEqualTo(7);
        Matcher names = Pattern.compile("MetricName=\\\\\"(pushcore\\.[a-z_.]+)\\\\\"").matcher(body);
        Set<String> emitted = new TreeSet<>();
        while (names.find()) {
            emitted.add(names.group(1));
        }
        assertThat(emitted).containsExactlyInAnyOrder("pushcore.pushes", "pushcore.push.errors",
                "pushcore.provider.latency", "pushcore.events.received", "pushcore.events.enqueued",
                "pushcore.webhook.deliveries", "pushcore.aggregator.dead_lettered", "pushcore.breaker.open");
        String sources = mainSources();
        assertThat(emitted).allSatisfy(name -> assertThat(sources).as(name).contains("\"" + name + "\""));
        assertThat(body).contains("{${AWS::StackName},")
                .contains("ApproximateAgeOfOldestMessage", "${EventQueue.QueueName}",
                        "ApproximateNumberOfMessagesVisible", "${EventDeadLetterQueue.QueueName}",
                        "\"Throttles\"", "\"5xx\"", "\"Latency\"", "'p95'");
        JsonNode namespace = TEMPLATE.path("Globals").path("Function").path("Environment").path("Variables")
                .path("PUSHCORE_METRICS_NAMESPACE");
        assertThat(namespace.path("Ref").asText()).as("EMF namespace = the dashboard's").isEqualTo("AWS::StackName");
    }

    @Test
    void alarmsWatchTheDeadLetterQueueQueueAgeApiErrorsAndOpenBreakersAndNotifyTheTopic() {
        Map<String, JsonNode> alarms = resourcesOfType("AWS::CloudWatch::Alarm");
        assertThat(alarms).containsOnlyKeys("DeadLetterQueueNotEmptyAlarm", "EventQueueBacklogAlarm",
                "Api5xxRateAlarm", "CredentialBreakerOpenAlarm");
        alarms.forEach((name, alarm) -> {
            JsonNode properties = alarm.path("Properties");
            assertThat(properties.path("AlarmActions").get(0).path("Ref").asText()).as(name).isEqualTo("AlarmTopic");
            assertThat(properties.path("AlarmDescription").asText()).as(name)
                    .contains("README.md, Operating, " + name.replace("Alarm", ""));
        });
        JsonNode dlq = alarms.get("DeadLetterQueueNotEmptyAlarm").path("Properties");
        assertThat(dlq.path("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
        assertThat(dlq.path("Dimensions").get(0).path("Value").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("EventDeadLetterQueue");
        assertThat(dlq.path("Threshold").asInt()).isZero();
        assertThat(dlq.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
        JsonNode age = alarms.get("EventQueueBacklogAlarm").path("Properties");
        assertThat(age.path("MetricName").asText()).isEqualTo("ApproximateAgeOfOldestMessage");
        assertThat(age.path("Dimensions").get(0).path("Value").path("Fn::GetAtt").get(0).asText())
                .isEqualTo("EventQueue");
        assertThat(age.path("Threshold").path("Ref").asText()).isEqualTo("QueueAgeAlarmSeconds");
        assertThat(alarms.get("Api5xxRateAlarm").path("Properties").path("Metrics").toString())
                .contains("\"5xx\"", "\"Count\"", "errors / requests");
        JsonNode breaker = alarms.get("CredentialBreakerOpenAlarm").path("Properties");
        assertThat(breaker.path("Namespace").path("Ref").asText()).isEqualTo("AWS::StackName");
        assertThat(breaker.path("MetricName").asText()).isEqualTo("pushcore.breaker.open");
        assertThat(breaker.has("Dimensions")).as("EMF emits every metric also without dimensions").isFalse();
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String module : List.of("shared", "send-function", "event-function", "aggregator-function")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    all.append(Files.readString(file));
                }
            }
        }
        return all.toString();
    }

    @Test
    void aggregatorRunsEveryMinuteWithinItsInterval() {
        JsonNode aggregator = function(LambdaFunction.AGGREGATOR);
        JsonNode schedule = aggregator.path("Properties").path("Events").elements().next();
        assertThat(schedule.path("Type").asText()).isEqualTo("Schedule");
        assertThat(schedule.path("Properties").path("Schedule").asText()).isEqualTo("rate(1 minute)");
        assertThat(timeoutSeconds(aggregator)).isLessThan(60);
    }

    @Test
    void eventQueueRedrivesToADeadLetterQueue() {
        Map<String, JsonNode> queues = resourcesOfType("AWS::SQS::Queue");
        JsonNode redrive = queues.get("EventQueue").path("Properties").path("RedrivePolicy");
        String dlq = redrive.path("deadLetterTargetArn").path("Fn::GetAtt").get(0).asText();
        assertThat(queues).containsKey(dlq);
        assertThat(redrive.path("maxReceiveCount").asInt()).isPositive();
        assertThat(queues.get("EventQueue").path("Properties").path("VisibilityTimeout").asInt())
                .isGreaterThan(timeoutSeconds(function(LambdaFunction.AGGREGATOR)));
    }

    @Test
    void stateBucketIsPrivateAndExpiresAfterTheRetentionWindow() {
        JsonNode state = resources().path("StateBucket").path("Properties");
        JsonNode block = state.path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(flag).asBoolean()).as(flag).isTrue();
        }
        assertThat(TEMPLATE.path("Parameters").path("RetentionDays").path("Default").asInt()).isEqualTo(7);
    }

    /**
     * What sends write (buckets/, contexts/, routes/, the tenants/ index) expires after RetentionDays, each prefix by
     * a rule of that one parameter; quota/ (the quota counters, one per window of at most 24 h) after 2 days; nothing
     * else expires, so API tokens and their quotas (admin/) live until revoked.
     */
    @Test
    void retentionCoversWhatSendsWriteAndNeverTheApiTokens() {
        Map<String, String> expiring = new HashMap<>();
        resources().path("StateBucket").path("Properties").path("LifecycleConfiguration").path("Rules")
                .forEach(rule -> {
                    if (rule.has("ExpirationInDays") || rule.has("ExpirationDate")) {
                        JsonNode days = rule.path("ExpirationInDays");
                        expiring.put(rule.path("Prefix").asText(), days.isInt() ? days.asText() : days.path("Ref")
                                .asText());
                    }
                });
        assertThat(expiring).isEqualTo(
                Map.of("buckets/", "RetentionDays", "contexts/", "RetentionDays", "routes/", "RetentionDays",
                        "tenants/", "RetentionDays", "quota/", "2"));
    }

    /**
     * Every other place personal data may sit (README "Personal data") is kept RetentionDays and no longer, from the
     * same parameter: both queues (through a days-to-seconds row for each allowed value), the CDN images and each
     * function's log group, which exists before its function so Lambda never creates one that keeps logs forever.
     */
    @Test
    void queuesImagesAndLogsAreKeptRetentionDaysFromTheOneParameter() {
        JsonNode parameter = TEMPLATE.path("Parameters").path("RetentionDays");
        List<Integer> allowed = new ArrayList<>();
        parameter.path("AllowedValues").forEach(value -> allowed.add(value.asInt()));
        assertThat(allowed).isNotEmpty().contains(parameter.path("Default").asInt());
        // what both SQS (60 s to 14 days) and CloudWatch Logs' RetentionInDays accept
        assertThat(List.of(1, 3, 5, 7, 14)).containsAll(allowed);
        JsonNode rows = TEMPLATE.path("Mappings").path("Retention");
        for (int days : allowed) {
            assertThat(rows.path(String.valueOf(days)).path("Seconds").asLong()).as(days + " days")
                    .isEqualTo(Duration.ofDays(days).toSeconds());
        }
        for (String queue : List.of("EventQueue", "EventDeadLetterQueue")) {
            JsonNode period = resources().path(queue).path("Properties").path("MessageRetentionPeriod");
            assertThat(period.path("Fn::FindInMap").toString()).as(queue)
                    .isEqualTo("[\"Retention\",{\"Ref\":\"RetentionDays\"},\"Seconds\"]");
        }
        JsonNode imageRules = resources().path("CdnBucket").path("Properties").path("LifecycleConfiguration")
                .path("Rules");
        assertThat(imageRules).anySatisfy(rule -> {
            assertThat(rule.path("Prefix").asText()).isEqualTo("images/");
            assertThat(rule.path("ExpirationInDays").path("Ref").asText()).isEqualTo("RetentionDays");
        });
        for (LambdaFunction function : LambdaFunction.values()) {
            JsonNode resource = resources().path(function.logicalId());
            String logGroup = resource.path("DependsOn").asText();
            assertThat(logGroup).as(function + " waits for its log group").isNotEmpty();
            JsonNode properties = resources().path(logGroup).path("Properties");
            assertThat(resources().path(logGroup).path("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
            assertThat(properties.path("RetentionInDays").path("Ref").asText()).isEqualTo("RetentionDays");
            assertThat(properties.path("LogGroupName").path("Fn::Sub").asText())
                    .isEqualTo("/aws/lambda/" + resource.path("Properties").path("FunctionName").path("Fn::Sub")
                            .asText());
        }
    }

    /**
     * The S3 lifecycle never deletes a route before send-function stops using it: both count RetentionDays from when
     * the object was written (routes' retainUntil is their write time plus SEND_EVENTS_RETENTION), the lifecycle is
     * the only expiry and covers routes/ with exactly that parameter, and the smallest allowed RetentionDays still
     * outlives a bucket (send-function refuses to start otherwise).
     */
    @Test
    void routesLiveAsLongInS3AsTheCodeKeepsUsingThem() throws Exception {
        JsonNode rules = resources().path("StateBucket").path("Properties").path("LifecycleConfiguration")
                .path("Rules");
        List<JsonNode> expiring = new ArrayList<>();
        rules.forEach(rule -> {
            // quota/ holds only quota counters (checked above); every other expiring prefix follows RetentionDays
            if ((rule.has("ExpirationInDays") || rule.has("ExpirationDate"))
                    && !rule.path("Prefix").asText().equals("quota/")) {
                expiring.add(rule);
            }
        });
        assertThat(expiring).anySatisfy(rule -> {
            assertThat(rule.path("ExpirationInDays").path("Ref").asText()).isEqualTo("RetentionDays");
            assertThat(rule.path("Prefix").asText()).isEqualTo("routes/");
        });
        assertThat(expiring).allSatisfy(rule -> assertThat(rule.path("ExpirationInDays").path("Ref").asText())
                .isEqualTo("RetentionDays"));

        JsonNode retention = variables(LambdaFunction.SEND).get("SEND_EVENTS_RETENTION");
        assertThat(retention.path("Fn::Sub").asText()).isEqualTo("${RetentionDays}d");
        JsonNode parameter = TEMPLATE.path("Parameters").path("RetentionDays");
        assertThat(quarkusDuration(retention.path("Fn::Sub").asText()
                .replace("${RetentionDays}", parameter.path("Default").asText()))).isEqualTo(Duration.ofDays(7));

        Path classes = ROOT.resolve(LambdaFunction.SEND.module()).resolve("target/classes");
        assumeTrue(Files.isDirectory(classes), "send-function is not compiled yet");
        try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                InfraTemplateTest.class.getClassLoader())) {
            Method lifetime = loader.loadClass("io.pushcore.send.config.SendConfig$BucketSettings")
                    .getMethod("lifetime");
            Duration bucketLifetime = quarkusDuration(lifetime.getAnnotation(WithDefault.class).value());
            int shortest = Integer.MAX_VALUE;
            for (JsonNode value : parameter.path("AllowedValues")) {
                shortest = Math.min(shortest, value.asInt());
            }
            assertThat(Duration.ofDays(shortest)).isGreaterThan(bucketLifetime);
        }
    }

    /** The simple form Quarkus reads for a Duration: a number and a unit (ms, s, m, h, d). */
    static Duration quarkusDuration(String text) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text);
        assertThat(matcher.matches()).as(text).isTrue();
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    @Test
    void cdnBucketIsPublicOnlyForImages() {
        JsonNode statement = resources().path("CdnBucketPublicImages").path("Properties").path("PolicyDocument")
                .path("Statement").get(0);
        assertThat(statement.path("Action").asText()).isEqualTo("s3:GetObject");
        assertThat(statement.path("Resource").path("Fn::Sub").asText()).isEqualTo("${CdnBucket.Arn}/images/*");
        assertThat(resources().path("CdnBucket").path("Properties").path("PublicAccessBlockConfiguration")
                .path("BlockPublicAcls").asBoolean()).isTrue();
    }

    /**
     * No key, secret or key ring is an environment variable, in plain text or as a deploy-time dynamic reference
     * (which CloudFormation would resolve into the environment): each is named in PUSHCORE_SECRETS and read from
     * Secrets Manager at start-up, and no parameter carries one.
     */
    @Test
    void secretsAreReadFromSecretsManagerAtStartUpNeverFromTheEnvironment() {
        for (LambdaFunction function : LambdaFunction.values()) {
            variables(function).forEach((name, value) -> {
                assertThat(value.toString()).as(name).doesNotContain("resolve:secretsmanager");
                if (!name.equals("PUSHCORE_SECRETS")) {
                    assertThat(name).as(function.module()).doesNotContain("KEY").doesNotContain("SECRET");
                }
            });
            assertThat(secretsOf(function)).as(function.module()).isNotEmpty();
        }
        TEMPLATE.path("Parameters").properties().forEach(p -> assertThat(p.getKey()).doesNotContainIgnoringCase("key"));
    }

    /**
     * Each function reads only the secrets it uses, and its role may read exactly those: the aggregator opens webhook
     * callbacks with the webhook ring alone and can never read the credential ring, which opens every provider
     * credential.
     */
    @Test
    void eachFunctionReadsAndMayReadOnlyTheSecretsItNeeds() {
        Map<LambdaFunction, Map<String, String>> expected = Map.of(
                LambdaFunction.SEND, Map.of("send.auth.api-keys", "api-keys", "send.auth.admin-key", "admin-key-hash",
                        "send.security.credential-keys", "credential-keys",
                        "send.security.message-id-keys", "message-id-keys",
                        "send.security.webhook-keys", "webhook-keys"),
                LambdaFunction.EVENT, Map.of("event.security.message-id-keys", "message-id-keys"),
                LambdaFunction.AGGREGATOR, Map.of("aggregator.security.webhook-keys", "webhook-keys"));
        for (LambdaFunction function : LambdaFunction.values()) {
            assertThat(secretsOf(function)).as(function.module()).isEqualTo(expected.get(function));
            List<String> readable = new ArrayList<>();
            function(function).path("Properties").path("Policies").forEach(policy -> policy.path("Statement")
                    .forEach(statement -> {
                        if (statement.path("Action").toString().contains("secretsmanager:")) {
                            assertThat(statement.path("Action").toString()).as(function.module())
                                    .isEqualTo("[\"secretsmanager:GetSecretValue\"]");
                            statement.path("Resource").forEach(resource -> readable.add(
                                    resource.path("Fn::Sub").asText()));
                        }
                    }));
            assertThat(readable).as(function.module() + " may read").containsExactlyInAnyOrderElementsOf(
                    expected.get(function).values().stream().map(name -> "arn:${AWS::Partition}:secretsmanager:"
                            + "${AWS::Region}:${AWS::AccountId}:secret:${SecretName}/" + name + "-??????").toList());
        }
        assertThat(TEMPLATE.path("Parameters").path("SecretName").path("Description").asText())
                .contains("credential-keys", "message-id-keys", "webhook-keys");
    }

    /** PUSHCORE_SECRETS of a function: each property and the secret (after {@code ${SecretName}/}) it comes from. */
    static Map<String, String> secretsOf(LambdaFunction function) {
        JsonNode value = variables(function).get("PUSHCORE_SECRETS");
        Map<String, String> secrets = new TreeMap<>();
        if (value == null) {
            return secrets;
        }
        for (String entry : value.path("Fn::Sub").asText().split(",")) {
            String[] pair = entry.trim().split("=", 2);
            assertThat(pair[1]).as(entry).startsWith("${SecretName}/");
            secrets.put(pair[0], pair[1].substring("${SecretName}/".length()));
        }
        return secrets;
    }

    /**
     * Each role grants exactly what its function's code calls, on exactly the resources it touches, with the reason
     * beside each: a new call needs a new line here, and nothing is granted "just in case".
     */
    @Test
    void eachRoleGrantsOnlyTheActionsAndResourcesItsFunctionUses() {
        String secret = "secretsmanager:GetSecretValue arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                + "${AWS::AccountId}:secret:${SecretName}/";
        Map<LambdaFunction, Set<String>> expected = Map.of(
                LambdaFunction.SEND, Set.of(
                        secret + "api-keys-??????", secret + "admin-key-hash-??????",
                        secret + "credential-keys-??????", secret + "message-id-keys-??????",
                        secret + "webhook-keys-??????",
                        // buckets, contexts, routes, tokens, quota counters, the tenant index
                        "s3:GetObject ${StateBucket.Arn}/*", "s3:PutObject ${StateBucket.Arn}/*",
                        // revoking a token; erasing a tenant
                        "s3:DeleteObject ${StateBucket.Arn}/admin/*", "s3:DeleteObject ${StateBucket.Arn}/buckets/*",
                        "s3:DeleteObject ${StateBucket.Arn}/contexts/*", "s3:DeleteObject ${StateBucket.Arn}/routes/*",
                        "s3:DeleteObject ${StateBucket.Arn}/tenants/*",
                        // a missing key is 404, not 403; erasure lists prefixes
                        "s3:ListBucket StateBucket.Arn", "s3:ListBucket CdnBucket.Arn",
                        "s3:GetObject ${CdnBucket.Arn}/images/*", "s3:PutObject ${CdnBucket.Arn}/images/*",
                        "s3:DeleteObject ${CdnBucket.Arn}/images/*",
                        "sqs:SendMessage EventQueue.Arn"),
                LambdaFunction.EVENT, Set.of(secret + "message-id-keys-??????", "sqs:SendMessage EventQueue.Arn"),
                LambdaFunction.AGGREGATOR, Set.of(secret + "webhook-keys-??????",
                        "sqs:ReceiveMessage EventQueue.Arn", "sqs:DeleteMessage EventQueue.Arn",
                        "sqs:ChangeMessageVisibility EventQueue.Arn", "sqs:SendMessage EventQueue.Arn",
                        "sqs:SendMessage EventDeadLetterQueue.Arn",
                        "s3:GetObject ${StateBucket.Arn}/routes/*", "s3:PutObject ${StateBucket.Arn}/routes/*",
                        "s3:DeleteObject ${StateBucket.Arn}/routes/*", "s3:ListBucket StateBucket.Arn"));
        for (LambdaFunction function : LambdaFunction.values()) {
            Set<String> granted = new TreeSet<>();
            function(function).path("Properties").path("Policies").forEach(policy -> policy.path("Statement")
                    .forEach(statement -> {
                        assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                        List<String> resources = new ArrayList<>();
                        JsonNode resource = statement.path("Resource");
                        (resource.isArray() ? resource : List.of(resource)).forEach(r -> resources.add(
                                r.has("Fn::Sub") ? r.path("Fn::Sub").asText()
                                        : r.path("Fn::GetAtt").path(0).asText() + "."
                                                + r.path("Fn::GetAtt").path(1).asText()));
                        statement.path("Action").forEach(action -> resources.forEach(
                                r -> granted.add(action.asText() + " " + r)));
                    }));
            assertThat(granted).as(function.module()).isEqualTo(new TreeSet<>(expected.get(function)));
        }
    }

    @Test
    void functionsGetNoWildcardPermissions() {
        resourcesOfType("AWS::Serverless::Function").forEach((name, function) -> function.path("Properties")
                .path("Policies").forEach(policy -> policy.path("Statement").forEach(statement -> {
                    statement.path("Action").forEach(action -> assertThat(action.asText()).as(name).doesNotContain("*"));
                    assertThat(statement.path("Resource").asText()).as(name).isNotEqualTo("*");
                })));
    }

    private static Map<String, JsonNode> variables(LambdaFunction function) {
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        function(function).path("Properties").path("Environment").path("Variables").properties()
                .forEach(e -> variables.put(e.getKey(), e.getValue()));
        return variables;
    }

    /**
     * Every application variable in the template is a key the function reads (its {@code @ConfigMapping} or
     * {@code application.properties}), and every key it needs without a default is set.
     */
    @ParameterizedTest
    @EnumSource(LambdaFunction.class)
    void environmentVariablesMatchTheKeysTheFunctionReads(LambdaFunction function) throws Exception {
        Path classes = ROOT.resolve(function.module()).resolve("target/classes");
        Map<String, Boolean> keys = configKeys(classes);
        assumeTrue(!keys.isEmpty(), function.module() + " has no compiled @ConfigMapping yet");
        String prefix = function.module().replace("-function", "").toUpperCase(Locale.ROOT) + "_";
        Properties properties = new Properties();
        Path file = ROOT.resolve(function.module()).resolve("src/main/resources/application.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }

        Set<String> known = new TreeSet<>();
        keys.keySet().forEach(k -> known.add(env(k)));
        properties.stringPropertyNames().forEach(k -> known.add(env(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k)));
        Set<String> set = new TreeSet<>(variables(function).keySet());
        assertThat(set.stream().filter(v -> v.startsWith(prefix)).toList()).as("variables " + function.module()
                + " does not read").isSubsetOf(known);
        // keys read from Secrets Manager are set as surely as variables are
        Set<String> fromSecrets = new TreeSet<>();
        secretsOf(function).keySet().forEach(k -> fromSecrets.add(env(k)));
        assertThat(fromSecrets).as("secrets " + function.module() + " does not read").isSubsetOf(known);
        set.addAll(fromSecrets);

        List<String> missing = new ArrayList<>();
        keys.forEach((key, required) -> {
            boolean configured = properties.containsKey(key) || properties.containsKey("%prod." + key);
            if (required && !configured && !set.contains(env(key))) {
                missing.add(env(key));
            }
        });
        assertThat(missing).as("required keys without a value for " + function.module()).isEmpty();
    }

    static String env(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Keys of all {@code @ConfigMapping} interfaces under {@code classes}, each with whether it is required. */
    static Map<String, Boolean> configKeys(Path classes) throws Exception {
        Map<String, Boolean> keys = new LinkedHashMap<>();
        if (!Files.isDirectory(classes)) {
            return keys;
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.walk(classes)) {
            candidates = files.filter(f -> f.toString().endsWith(".class")).filter(InfraTemplateTest::mentionsConfigMapping)
                    .toList();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                InfraTemplateTest.class.getClassLoader())) {
            for (Path candidate : candidates) {
                String name = classes.relativize(candidate).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = loader.loadClass(name);
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    collect(type, mapping.prefix(), keys);
                }
            }
        }
        return keys;
    }

    private static boolean mentionsConfigMapping(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
                    .contains("io/smallrye/config/ConfigMapping");
        } catch (IOException e) {
            return false;
        }
    }

    private static void collect(Class<?> group, String prefix, Map<String, Boolean> keys) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            WithName rename = method.getAnnotation(WithName.class);
            String key = prefix + "." + (rename != null ? rename.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && !type.getName().startsWith("java.")) {
                collect(type, key, keys);
            } else {
                boolean optional = type == Optional.class || type == OptionalInt.class
                        || method.isAnnotationPresent(WithDefault.class);
                keys.put(key, !optional);
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @Test
    void readsConfigKeysAndTheirEnvNamesLikeQuarkus() throws Exception {
        Map<String, Boolean> keys = configKeys(Path.of("target/test-classes"));

        assertThat(keys).containsEntry("sample.auth.api-keys", true).containsEntry("sample.security.message-id-key", true)
                .containsEntry("sample.dispatch.concurrency", false).containsEntry("sample.renamed", true)
                .containsEntry("sample.maybe", false);
        assertThat(env("sample.security.message-id-key")).isEqualTo("SAMPLE_SECURITY_MESSAGE_ID_KEY");
    }

    @ConfigMapping(prefix = "sample")
    interface SampleConfig {
        Auth auth();

        Security security();

        Dispatch dispatch();

        @WithName("renamed")
        String original();

        Optional<String> maybe();

        interface Auth {
            List<String> apiKeys();
        }

        interface Security {
            String messageIdKey();
        }

        interface Dispatch {
            @WithDefault("128")
            int concurrency();
        }
    }
}
