package io.pushcore.local;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.pushcore.local.bootstrap.LambdaJavaRuntime;

/**
 * One function instance as a child JVM that serves the {@link LambdaRuntimeApi} named in
 * {@code AWS_LAMBDA_RUNTIME_API}. Its output goes to the console line by line,
 * prefixed with the instance name.
 */
public final class FunctionProcess implements AutoCloseable {

    private final String name;
    private final Process process;

    private FunctionProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    public static FunctionProcess start(String name, List<String> command, Path workingDirectory,
            Map<String, String> environment, PrintStream console, Consumer<Integer> onExit) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    console.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                // the process is gone; onExit reports it
            }
        });
        process.onExit().thenAccept(p -> onExit.accept(p.exitValue()));
        return new FunctionProcess(name, process);
    }

    /**
     * The JVM a Lambda Java runtime starts: the unzipped {@code function.zip} and its {@code lib/*.jar} on the class
     * path, in that order, with {@link LambdaJavaRuntime} as the main class.
     */
    public static List<String> lambdaJava(Path taskRoot, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, taskRoot.toString(), taskRoot.resolve("lib").resolve("*").toString(),
                codeSource(LambdaJavaRuntime.class).toString()));
        command.add(LambdaJavaRuntime.class.getName());
        return command;
    }

    /** The jar or class directory {@code type} was loaded from. */
    static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL at once, as Lambda ends an execution environment after a timeout (no shutdown hooks run), and waits up
     * to 5 s for the process to be gone.
     */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM first so Quarkus shuts down cleanly, then SIGKILL after 5 s. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
