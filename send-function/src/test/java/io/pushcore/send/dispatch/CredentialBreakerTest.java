package io.pushcore.send.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.pushcore.provider.Delivery;
import io.pushcore.provider.ErrorCode;
import io.pushcore.send.dispatch.CredentialBreaker.Verdict;
import io.pushcore.send.support.InProcessAws;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A {@code @QuarkusTest} only because SmallRye's programmatic API needs the application's fault tolerance. */
@QuarkusTest
@TestProfile(InProcessAws.class)
class CredentialBreakerTest {

    private static final Delivery REFUSED = new Delivery.Rejected(ErrorCode.CREDENTIAL_REJECTED,
            "APNs refused the credential: APNs 403 InvalidProviderToken");
    private static final Delivery TIMEOUT = new Delivery.Deferred("APNs did not answer in time", null);
    private static final Delivery OK = new Delivery.Accepted("id");

    private final AtomicInteger sent = new AtomicInteger();

    private static long deadline() {
        return System.nanoTime() + Duration.ofSeconds(5).toNanos();
    }

    private CredentialBreaker.Outcome<Delivery> call(CredentialBreaker breaker, Delivery answer) {
        return breaker.call(() -> {
            sent.incrementAndGet();
            return answer;
        }, d -> CredentialBreaker.verdict(List.of(d)), deadline());
    }

    private static CredentialBreaker.Outcome<Delivery> sent(Delivery answer) {
        return new CredentialBreaker.Sent<>(answer);
    }

    @Test
    void failsFastWithTheProvidersReasonAfterTheFirstCredentialRejection() {
        CredentialBreaker breaker = new CredentialBreaker("APNs", Duration.ofMinutes(1), 20);

        assertThat(call(breaker, REFUSED)).isEqualTo(sent(REFUSED));
        assertThat(call(breaker, OK)).isEqualTo(new CredentialBreaker.NotSent<>(new Delivery.Rejected(
                ErrorCode.CREDENTIAL_REJECTED, "APNs refused the credential: APNs 403 InvalidProviderToken"
                        + "; not sent: APNs refused this credential moments ago, it is paused for 60 s"), true));
        assertThat(sent).hasValue(1);
    }

    @Test
    void pausesACredentialThatKeepsFailingAndTriesAgainAfterTheDelay() throws Exception {
        CredentialBreaker breaker = new CredentialBreaker("APNs", Duration.ofMillis(200), 3);
        call(breaker, OK);

        for (int i = 0; i < 3; i++) {
            assertThat(call(breaker, TIMEOUT)).isEqualTo(sent(TIMEOUT));
        }
        assertThat(call(breaker, OK)).isInstanceOfSatisfying(CredentialBreaker.NotSent.class, notSent -> {
            assertThat(notSent.open()).isTrue();
            assertThat(((Delivery.Rejected) notSent.delivery()).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        });
        assertThat(sent).hasValue(4);

        Thread.sleep(300);
        assertThat(call(breaker, OK)).isEqualTo(sent(OK));
        assertThat(sent).hasValue(5);
    }

    @Test
    void sendsOneAttemptAtATimeUntilTheProviderHasTakenTheCredential() throws Exception {
        CredentialBreaker unproven = new CredentialBreaker("APNs", Duration.ofMinutes(1), 100);
        CredentialBreaker proven = new CredentialBreaker("APNs", Duration.ofMinutes(1), 100);
        call(proven, OK);

        assertThat(maxConcurrent(unproven, Verdict.NEUTRAL)).isEqualTo(1);
        assertThat(maxConcurrent(proven, Verdict.PROVEN)).isGreaterThan(1);
    }

    private static int maxConcurrent(CredentialBreaker breaker, Verdict verdict) throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 10; i++) {
                threads.submit(() -> breaker.call(() -> {
                    max.accumulateAndGet(now.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    now.decrementAndGet();
                    return OK;
                }, d -> verdict, deadline()));
            }
        }
        return max.get();
    }
}
