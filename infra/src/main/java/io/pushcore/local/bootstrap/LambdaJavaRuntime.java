package io.pushcore.local.bootstrap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The managed Java runtime's job for a {@code RequestStreamHandler}: construct the handler named in {@code _HANDLER}
 * (Quarkus boots here, as in a Lambda init phase), then poll {@code AWS_LAMBDA_RUNTIME_API} forever and call
 * {@code handleRequest(InputStream, OutputStream, Context)} per invocation.
 *
 * <p>Quarkus' own Runtime API poll loop only runs in native images (and dev/test mode); a JVM-mode
 * {@code function.zip} relies on the Lambda runtime for this, so the local runner brings this stand-in. The
 * {@code Context} is a proxy so this class needs nothing beyond the JDK on its own classpath.
 */
public final class LambdaJavaRuntime {

    private static final String API = "/2018-06-01/runtime/";

    private LambdaJavaRuntime() {
    }

    public static void main(String[] args) throws Exception {
        String base = "http://" + System.getenv("AWS_LAMBDA_RUNTIME_API") + API;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String[] handler = System.getenv("_HANDLER").split("::");
        Object instance;
        Method method;
        Class<?> contextType;
        try {
            Class<?> type = Class.forName(handler[0]);
            contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
            method = type.getMethod(handler.length > 1 ? handler[1] : "handleRequest", InputStream.class,
                    OutputStream.class, contextType);
            instance = type.getDeclaredConstructor().newInstance();
        } catch (Throwable e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            post(client, base + "init/error", error(cause), cause.getClass().getName());
            cause.printStackTrace();
            System.exit(1);
            return;
        }
        while (true) {
            HttpResponse<byte[]> next = client.send(HttpRequest.newBuilder(URI.create(base + "invocation/next")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            long deadline = next.headers().firstValue("Lambda-Runtime-Deadline-Ms").map(Long::parseLong)
                    .orElse(Long.MAX_VALUE);
            String arn = next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn").orElse("");
            next.headers().firstValue("Lambda-Runtime-Trace-Id")
                    .ifPresent(trace -> System.setProperty("com.amazonaws.xray.traceHeader", trace));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                method.invoke(instance, new ByteArrayInputStream(next.body()), out,
                        context(contextType, id, arn, deadline));
                post(client, base + "invocation/" + id + "/response", out.toByteArray(), null);
            } catch (Throwable e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                cause.printStackTrace();
                post(client, base + "invocation/" + id + "/error", error(cause), cause.getClass().getName());
            }
        }
    }

    private static Object context(Class<?> contextType, String requestId, String arn, long deadlineMs) {
        String function = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        Class<?> loggerType;
        try {
            loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        Object logger = Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] { loggerType },
                (proxy, m, a) -> {
                    if (m.getName().equals("log") && a != null && a.length > 0) {
                        System.out.println(a[0] instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : a[0]);
                    }
                    return null;
                });
        return Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] { contextType },
                (proxy, m, a) -> switch (m.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getLogGroupName" -> System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
                    case "getLogStreamName" -> System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
                    case "getFunctionName" -> function;
                    case "getFunctionVersion" -> System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
                    case "getInvokedFunctionArn" -> arn;
                    case "getRemainingTimeInMillis" -> (int) Math.max(0,
                            Math.min(Integer.MAX_VALUE, deadlineMs - System.currentTimeMillis()));
                    case "getMemoryLimitInMB" -> Integer.parseInt(
                            System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
                    case "getLogger" -> logger;
                    case "getXrayTraceId" -> System.getProperty("com.amazonaws.xray.traceHeader");
                    case "toString" -> "Context[" + requestId + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default -> null;
                });
    }

    private static byte[] error(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String json = "{\"errorMessage\":" + quote(String.valueOf(e.getMessage())) + ",\"errorType\":"
                + quote(e.getClass().getName()) + ",\"stackTrace\":[" + quote(trace.toString()) + "]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    private static void post(HttpClient client, String url, byte[] body, String errorType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (errorType != null) {
            request.header("Lambda-Runtime-Function-Error-Type", errorType);
        }
        client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }
}
