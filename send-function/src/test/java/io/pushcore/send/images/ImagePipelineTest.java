package io.pushcore.send.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pushcore.model.Action;
import io.pushcore.model.DataContent;
import io.pushcore.net.NetworkPolicy;
import io.pushcore.send.ApiProblem;
import io.pushcore.send.storage.TenantKey;
import io.pushcore.testing.aws.LocalAws;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** The whole pipeline: a real image origin on 127.0.0.1, in-process S3 (s3proxy) as the CDN bucket. */
class ImagePipelineTest {

    static final String CDN = "https://cdn.pushcore.test/";
    static final String BUCKET = "pushcore-cdn";

    static LocalAws aws;
    static FakeImageServer origin;
    static final String TENANT = TenantKey.of("dev");
    static final Duration REFRESH_AFTER = Duration.ofDays(6).minusHours(1);
    static ImageFetcher fetcher;
    static ImagePipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        aws = LocalAws.startInProcess();
        aws.createBucket(BUCKET);
        origin = new FakeImageServer();
        fetcher = new ImageFetcher(CheckedResolver.of(new NetworkPolicy(true)), new ImageFetcher.Limits(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 5 * 1024 * 1024, 3));
        pipeline = new ImagePipeline(fetcher, new ImageResizer(40_000_000), new S3ImageStore(aws.s3(), BUCKET, REFRESH_AFTER, Clock.systemUTC()), CDN, 2,
                Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        fetcher.close();
        origin.close();
        aws.close();
    }

    static DataContent content(String icon, String smallIcon, String image, String... actionIcons) {
        List<Action> actions = java.util.stream.IntStream.range(0, actionIcons.length)
                .mapToObj(i -> new Action("a" + i, "Action " + i, actionIcons[i], null)).toList();
        return new DataContent("Hello", "World", null, icon, smallIcon, image, null, null, null, null, actions,
                "ext", null, null);
    }

    static String key(String cdnUrl) {
        assertThat(cdnUrl).startsWith(CDN);
        return cdnUrl.substring(CDN.length());
    }

    static ResponseBytes<GetObjectResponse> object(String cdnUrl) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key(cdnUrl)));
    }

    @Test
    void replacesEveryImageUrlWithItsCdnUrlAndKeepsTheRest() {
        origin.serve("/p/logo.png", TestImages.png(512, 256), "image/png");
        origin.serve("/p/badge.gif", TestImages.gif(48, 48), "image/gif");
        origin.serve("/p/hero.jpg", TestImages.jpeg(2400, 1200), "image/jpeg");
        origin.serve("/p/yes.webp", TestImages.resource("photo-300x150.webp"), "image/webp");
        DataContent input = content(origin.url("/p/logo.png"), origin.url("/p/badge.gif"), origin.url("/p/hero.jpg"),
                origin.url("/p/yes.webp"), "");

        DataContent output = pipeline.rehost(TENANT, input, "");

        assertThat(output.icon()).matches("https://cdn\\.pushcore\\.test/images/[0-9a-f]{32}/[0-9a-f]{64}-icon\\.png");
        assertThat(output.smallIcon()).matches("https://cdn\\.pushcore\\.test/images/[0-9a-f]{32}/[0-9a-f]{64}-small-icon\\.png");
        assertThat(output.image()).matches("https://cdn\\.pushcore\\.test/images/[0-9a-f]{32}/[0-9a-f]{64}-image\\.jpg");
        assertThat(output.actions().get(0).icon()).matches(".*/images/[0-9a-f]{32}/[0-9a-f]{64}-icon\\.png");
        assertThat(output.actions().get(1).icon()).as("blank stays blank").isEmpty();
        assertThat(output).usingRecursiveComparison().ignoringFields("icon", "smallIcon", "image", "actions")
                .isEqualTo(input);
        assertThat(output.actions().get(0).action()).isEqualTo("a0");
    }

    @Test
    void storesContentTypeLongCacheHeadersAndTheResizedBytes() throws Exception {
        origin.serve("/s/logo.png", TestImages.png(640, 640), "text/plain");
        origin.serve("/s/hero.png", TestImages.png(2048, 1536), "application/octet-stream");

        DataContent output = pipeline.rehost(TENANT, content(origin.url("/s/logo.png"), null, origin.url("/s/hero.png")), "");

        ResponseBytes<GetObjectResponse> icon = object(output.icon());
        assertThat(icon.response().contentType()).isEqualTo("image/png");
        assertThat(icon.response().cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        BufferedImage iconImage = TestImages.decode(icon.asByteArray());
        assertThat(iconImage.getWidth()).isEqualTo(192);
        assertThat(iconImage.getHeight()).isEqualTo(192);
        assertThat(key(output.icon())).contains(sha256(icon.asByteArray()));

        ResponseBytes<GetObjectResponse> image = object(output.image());
        assertThat(image.response().contentType()).isEqualTo("image/jpeg");
        assertThat(image.response().cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        BufferedImage heroImage = TestImages.decode(image.asByteArray());
        assertThat(heroImage.getWidth()).isEqualTo(1024);
        assertThat(heroImage.getHeight()).isEqualTo(768);
    }

    @Test
    void drawsSvgImagesLikeThePlaceholderInCoresReadmeAndFetchesNothingTheyReference() throws Exception {
        origin.serve("/v/64", SvgRasterizerTest.placeholder(), "image/svg+xml");
        origin.serve("/v/tracker.svg", TestImages.svg(300, 150, "<rect width=\"300\" height=\"150\" fill=\"#2040D0\"/>"
                + "<image href=\"" + origin.url("/v/tracked.png") + "\" width=\"10\" height=\"10\"/>"
                + "<use href=\"" + origin.url("/v/other.svg#x") + "\"/>"), "image/svg+xml");

        DataContent output = pipeline.rehost(TENANT, content(origin.url("/v/64"), origin.url("/v/64"),
                origin.url("/v/tracker.svg")), "");

        BufferedImage icon = TestImages.decode(object(output.icon()).asByteArray());
        assertThat(output.icon()).endsWith("-icon.png");
        assertThat(icon.getWidth()).isEqualTo(192);
        assertThat(icon.getRGB(5, 5)).isEqualTo(0xFFDDDDDD);
        assertThat(TestImages.decode(object(output.smallIcon()).asByteArray()).getWidth()).isEqualTo(96);
        ResponseBytes<GetObjectResponse> image = object(output.image());
        assertThat(image.response().contentType()).isEqualTo("image/jpeg");
        assertThat(TestImages.decode(image.asByteArray()).getWidth()).isEqualTo(300);
        assertThat(origin.hits("/v/64")).isEqualTo(1);
        assertThat(origin.hits("/v/tracked.png") + origin.hits("/v/other.svg")).as("fetched by the SVG").isZero();
    }

    @Test
    void storesTheSameImageOnlyOnce() {
        origin.serve("/d/one.png", TestImages.png(300, 200), "image/png");
        origin.serve("/d/same-bytes-elsewhere.png", TestImages.png(300, 200), "image/png");

        DataContent first = pipeline.rehost(TENANT, content(origin.url("/d/one.png"), null, null), "");
        int stored = imageCount();
        DataContent second = pipeline.rehost(TENANT, content(origin.url("/d/same-bytes-elsewhere.png"), null, null), "");

        assertThat(second.icon()).isEqualTo(first.icon());
        assertThat(imageCount()).isEqualTo(stored);
        ImageStore.Stored again = new S3ImageStore(aws.s3(), BUCKET, REFRESH_AFTER, Clock.systemUTC()).store(TENANT,
                new ImageResizer(40_000_000).resize(TestImages.png(300, 200), ImageVariant.ICON));
        assertThat(again.written()).as("already there: no second PUT").isFalse();
        assertThat(CDN + again.key()).isEqualTo(first.icon());
    }

    @Test
    void downloadsAUrlUsedByManyFieldsOnce() {
        origin.serve("/m/shared.png", TestImages.png(256, 256), "image/png");
        String url = origin.url("/m/shared.png");

        DataContent output = pipeline.rehost(TENANT, content(url, url, url, url, url), "");

        assertThat(origin.hits("/m/shared.png")).isEqualTo(1);
        assertThat(output.actions().get(0).icon()).isEqualTo(output.icon()).isEqualTo(output.actions().get(1).icon());
        assertThat(output.smallIcon()).endsWith("-small-icon.png");
        assertThat(output.image()).endsWith("-image.jpg");
    }

    @Test
    void namesEveryUnusableImageFieldAndReason() {
        origin.serve("/e/ok.png", TestImages.png(64, 64), "image/png");
        origin.serve("/e/page.png", "<html>login</html>".getBytes(), "image/png");
        origin.serve("/e/bomb.png", TestImages.pngHeader(30_000, 30_000), "image/png");
        origin.status("/e/missing.png", 404);

        assertThatThrownBy(() -> pipeline.rehost(TENANT, content(origin.url("/e/page.png"), origin.url("/e/ok.png"),
                origin.url("/e/bomb.png"), origin.url("/e/ok.png"), origin.url("/e/missing.png"), "ftp://x/y.png"),
                "metadata."))
                .isInstanceOfSatisfying(ApiProblem.Invalid.class, problem -> assertThat(problem.errors())
                        .containsExactly("metadata.icon: is not a PNG, JPEG, GIF, WebP or SVG image",
                                "metadata.image: is 30000x30000 pixels, over the limit of 40000000 pixels",
                                "metadata.actions[1].icon: could not be downloaded: the server answered HTTP 404",
                                "metadata.actions[2].icon: must be an http or https URL"));
    }

    @Test
    void reusesARecentlyPublishedImageForTheSameUrlWithoutDownloadingItAgain() {
        origin.serve("/c/icon.png", TestImages.png(128, 128), "image/png");
        ImagePipeline remembering = new ImagePipeline(fetcher, new ImageResizer(40_000_000),
                new S3ImageStore(aws.s3(), BUCKET, REFRESH_AFTER, Clock.systemUTC()), CDN, 2, Duration.ofMinutes(10));

        DataContent first = remembering.rehost(TENANT, content(origin.url("/c/icon.png"), null, null), "");
        DataContent second = remembering.rehost(TENANT, content(origin.url("/c/icon.png"), origin.url("/c/icon.png"), null),
                "");

        assertThat(second.icon()).isEqualTo(first.icon());
        assertThat(second.smallIcon()).endsWith("-small-icon.png");
        assertThat(origin.hits("/c/icon.png")).as("second context: only the new small-icon variant downloads")
                .isEqualTo(2);
        remembering.rehost(TENANT, content(origin.url("/c/icon.png"), origin.url("/c/icon.png"), null), "");
        assertThat(origin.hits("/c/icon.png")).isEqualTo(2);
    }

    @Test
    void remembersNothingWhenTheCacheIsOff() {
        origin.serve("/n/icon.png", TestImages.png(128, 128), "image/png");

        pipeline.rehost(TENANT, content(origin.url("/n/icon.png"), null, null), "");
        pipeline.rehost(TENANT, content(origin.url("/n/icon.png"), null, null), "");

        assertThat(origin.hits("/n/icon.png")).isEqualTo(2);
    }

    @Test
    void keepsUrlsThatAlreadyAreThisCdnsImageOfTheRightVariant() {
        String icon = CDN + "images/" + TENANT + "/" + "ab".repeat(32) + "-icon.png";
        String image = CDN + "images/" + TENANT + "/" + "cd".repeat(32) + "-image.jpg";
        DataContent input = content(icon, null, image, icon);

        assertThat(pipeline.rehost(TENANT, input, "")).isSameAs(input);
    }

    @Test
    void fetchesCdnLookalikesLikeAnyOtherUrl() {
        String wrongVariant = CDN + "images/" + TENANT + "/" + "ab".repeat(32) + "-image.jpg";
        String notAKey = CDN + "uploads/evil.png";
        String anotherTenants = CDN + "images/" + TenantKey.of("someone-else") + "/" + "ab".repeat(32) + "-icon.png";

        assertThatThrownBy(() -> pipeline.rehost(TENANT, content(wrongVariant, anotherTenants, notAKey), ""))
                .isInstanceOfSatisfying(ApiProblem.Invalid.class, problem -> assertThat(problem.errors())
                        .containsExactly("icon: could not be downloaded: its host does not resolve",
                                "smallIcon: could not be downloaded: its host does not resolve",
                                "image: could not be downloaded: its host does not resolve"));
    }

    @Test
    void keepsEachTenantsImagesApartSoErasingOneNeverBreaksAnother() {
        origin.serve("/t/shared.png", TestImages.png(200, 200), "image/png");
        String other = TenantKey.of("another-tenant");

        DataContent ours = pipeline.rehost(TENANT, content(origin.url("/t/shared.png"), null, null), "");
        DataContent theirs = pipeline.rehost(other, content(origin.url("/t/shared.png"), null, null), "");

        assertThat(key(ours.icon())).startsWith("images/" + TENANT + "/");
        assertThat(key(theirs.icon())).startsWith("images/" + other + "/")
                .endsWith(key(ours.icon()).substring(("images/" + TENANT + "/").length()));
        assertThat(object(theirs.icon()).asByteArray()).isEqualTo(object(ours.icon()).asByteArray());
    }

    @Test
    void writesAnImageAgainWhenItIsOlderThanTheRefreshAgeSoItOutlivesTheContextsReusingIt() {
        ProcessedImage icon = new ImageResizer(40_000_000).resize(TestImages.png(90, 90), ImageVariant.ICON);
        S3ImageStore today = new S3ImageStore(aws.s3(), BUCKET, REFRESH_AFTER, Clock.systemUTC());
        S3ImageStore sixDaysOn = new S3ImageStore(aws.s3(), BUCKET, REFRESH_AFTER,
                Clock.offset(Clock.systemUTC(), Duration.ofDays(6)));

        assertThat(today.store(TENANT, icon).written()).as("new").isTrue();
        assertThat(today.store(TENANT, icon).written()).as("fresh: reused").isFalse();
        assertThat(sixDaysOn.store(TENANT, icon).written())
                .as("a context made six days on would outlive a 7-day lifecycle count: written again").isTrue();
    }

    @Test
    void leavesContentWithoutImagesAlone() {
        DataContent input = content(null, " ", null);

        assertThat(pipeline.rehost(TENANT, input, "")).isSameAs(input);
    }

    private static int imageCount() {
        return aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/")).keyCount();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
