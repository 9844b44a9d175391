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
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
        return start(name, command, workingDirectory, environment, console, onExit, line -> {
        });
    }

    /** As above; {@code onLine} also hears each output line (unprefixed), on the thread that copies the output. */
    public static FunctionProcess start(String name, List<String> command, Path workingDirectory,
            Map<String, String> environment, PrintStream console, Consumer<Integer> onExit, Consumer<String> onLine)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    console.println("[" + name + "] " + line);
                    onLine.accept(line);
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
        return java(taskRoot, jvmOptions, LambdaJavaRuntime.class);
    }

    /**
     * The same JVM with {@code mainClass} in place of {@link LambdaJavaRuntime}: its code source goes on the class path
     * after the function's and the runtime's (so it can use {@link io.pushcore.local.bootstrap.LambdaHandler}).
     */
    public static List<String> java(Path taskRoot, List<String> jvmOptions, Class<?> mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        Set<String> classPath = new LinkedHashSet<>(List.of(taskRoot.toString(),
                taskRoot.resolve("lib").resolve("*").toString(), codeSource(LambdaJavaRuntime.class).toString(),
                codeSource(mainClass).toString()));
        command.add(String.join(File.pathSeparator, classPath));
        command.add(mainClass.getName());
        return command;
    }

    private static Path codeSource(Class<?> type) {
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
