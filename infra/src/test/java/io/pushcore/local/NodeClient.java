package io.pushcore.local;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs {@code keep-alive-client.mjs} (test resources) with the {@code node} on the PATH: consecutive calls through
 * one keep-alive agent of Node's own {@code http} module, as CORE's JS server SDK makes them.
 */
final class NodeClient {

    private NodeClient() {
    }

    /** The {@code node --version} output, or null when no {@code node} runs here. */
    static String version() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * {@code calls} POSTs to {@code url}, one after the other.
     *
     * @param connectionClose whether each request carries {@code Connection: close} (as node-fetch 2 sends it)
     * @return {@code {"ok": n, "connections": n, "failures": [..]}}
     */
    static JsonNode consecutiveCalls(String url, int calls, boolean connectionClose) throws Exception {
        Process process = new ProcessBuilder("node", script().toString(), url, Integer.toString(calls),
                connectionClose ? "close" : "keep-alive").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the node client did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the node client exited with " + process.exitValue());
        }
        return HttpApiEvents.JSON.readTree(out);
    }

    private static Path script() throws URISyntaxException {
        return Path.of(NodeClient.class.getResource("keep-alive-client.mjs").toURI());
    }
}
