package io.pushcore.local.bootstrap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

/**
 * A function's {@code RequestStreamHandler}, loaded as the managed Java runtime loads it: the class named in
 * {@code _HANDLER} ({@code Class::method}), constructed once (Quarkus boots here, as in a Lambda init phase), its
 * {@code handleRequest(InputStream, OutputStream, Context)} called per invocation. One instance serves every
 * invocation of the process, concurrently on Lambda Managed Instances, so {@link #invoke} is safe to call from many
 * threads as long as the handler is.
 *
 * <p>The {@code Context} is a proxy so this class needs nothing beyond the JDK on its own class path.
 */
public final class LambdaHandler {

    private final Object instance;
    private final Method method;
    private final Class<?> contextType;
    private final Object logger;

    private LambdaHandler(Object instance, Method method, Class<?> contextType, Object logger) {
        this.instance = instance;
        this.method = method;
        this.contextType = contextType;
        this.logger = logger;
    }

    /**
     * @param spec {@code _HANDLER}: {@code Class::method}, or a class whose method is {@code handleRequest}
     * @throws Throwable what the class lookup or the handler's constructor threw (an init error)
     */
    public static LambdaHandler load(String spec) throws Throwable {
        String[] handler = spec.split("::");
        try {
            Class<?> type = Class.forName(handler[0]);
            Class<?> contextType = Class.forName("com.amazonaws.services.lambda.runtime.Context");
            Class<?> loggerType = Class.forName("com.amazonaws.services.lambda.runtime.LambdaLogger");
            Method method = type.getMethod(handler.length > 1 ? handler[1] : "handleRequest", InputStream.class,
                    OutputStream.class, contextType);
            Object logger = Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] { loggerType },
                    (proxy, m, a) -> {
                        if (m.getName().equals("log") && a != null && a.length > 0) {
                            System.out.println(a[0] instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : a[0]);
                        }
                        return null;
                    });
            return new LambdaHandler(type.getDeclaredConstructor().newInstance(), method, contextType, logger);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Runs one invocation.
     *
     * @param traceId {@code Lambda-Runtime-Trace-Id}, or null; the context answers it, not the process-wide
     *                {@code com.amazonaws.xray.traceHeader}, which concurrent invocations would overwrite
     * @return what the handler wrote
     * @throws Throwable what the handler threw
     */
    public byte[] invoke(byte[] event, String requestId, String functionArn, long deadlineMs, String traceId)
            throws Throwable {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            method.invoke(instance, new ByteArrayInputStream(event), out,
                    context(requestId, functionArn, deadlineMs, traceId));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return out.toByteArray();
    }

    private Object context(String requestId, String arn, long deadlineMs, String traceId) {
        return Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] { contextType },
                (proxy, m, a) -> switch (m.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getLogGroupName" -> System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
                    case "getLogStreamName" -> System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
                    case "getFunctionName" -> System.getenv("AWS_LAMBDA_FUNCTION_NAME");
                    case "getFunctionVersion" -> System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
                    case "getInvokedFunctionArn" -> arn;
                    case "getRemainingTimeInMillis" -> (int) Math.max(0,
                            Math.min(Integer.MAX_VALUE, deadlineMs - System.currentTimeMillis()));
                    case "getMemoryLimitInMB" -> Integer.parseInt(
                            System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
                    case "getLogger" -> logger;
                    case "getXrayTraceId" -> traceId;
                    case "toString" -> "Context[" + requestId + "]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == a[0];
                    default -> null;
                });
    }
}
