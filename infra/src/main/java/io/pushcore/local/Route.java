package io.pushcore.local;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One API Gateway route: a route key like {@code ANY /v1/context/{contextId}/events/{kind}} and the function behind
 * it. Path parameters match one segment each and a last {@code {name+}} the rest of the path, as in API Gateway.
 * There is no {@code $default} route: a path no route matches gets API Gateway's 404 (so {@code /q/*} is never
 * public).
 */
public record Route(String routeKey, LambdaFunction function) {

    /** The routing table of the HTTP API, most specific first; the template declares the same route keys. */
    public static final List<Route> TABLE = List.of(
            new Route("ANY /v1/context/{contextId}/events/{kind}", LambdaFunction.EVENT),
            new Route("ANY /v1/{proxy+}", LambdaFunction.SEND),
            new Route("GET /", LambdaFunction.SEND));

    public record Match(Route route, Map<String, String> pathParameters) {
    }

    public static Optional<Match> find(String method, String path) {
        for (Route route : TABLE) {
            Optional<Map<String, String>> parameters = route.match(method, path);
            if (parameters.isPresent()) {
                return Optional.of(new Match(route, parameters.get()));
            }
        }
        return Optional.empty();
    }

    Optional<Map<String, String>> match(String method, String path) {
        String[] methodAndPath = routeKey.split(" ", 2);
        if (!methodAndPath[0].equals("ANY") && !methodAndPath[0].equalsIgnoreCase(method)) {
            return Optional.empty();
        }
        String[] pattern = methodAndPath[1].substring(1).split("/", -1);
        String[] actual = path.substring(1).split("/", -1);
        boolean greedy = pattern[pattern.length - 1].endsWith("+}");
        if (greedy ? actual.length < pattern.length : pattern.length != actual.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (greedy) {
            String last = pattern[pattern.length - 1];
            String rest = String.join("/", Arrays.copyOfRange(actual, pattern.length - 1, actual.length));
            if (rest.isEmpty()) {
                return Optional.empty();
            }
            parameters.put(last.substring(1, last.length() - 2), rest);
        }
        for (int i = 0; i < (greedy ? pattern.length - 1 : pattern.length); i++) {
            if (pattern[i].startsWith("{") && pattern[i].endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(pattern[i].substring(1, pattern[i].length() - 1), actual[i]);
            } else if (!pattern[i].equals(actual[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
