package io.pushcore.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** The ledger alone: which held messages may be deleted, and when. */
class LedgerTest {

    final List<List<String>> handed = new CopyOnWriteArrayList<>();
    final Ledger ledger = new Ledger(handed::add);

    @Test
    void deletesAMessageWithEventsInTwoPackagesOnlyAfterBothSettle() {
        ledger.hold("m1");
        WebhookPackage a = pkg("m1");
        WebhookPackage b = pkg("m1");
        ledger.add(a);
        ledger.add(b);
        ledger.complete("m1");

        ledger.settled(a);
        assertThat(handed).isEmpty();
        ledger.settled(b);

        assertThat(handed).containsExactly(List.of("m1"));
        assertThat(ledger.isDeleted("m1")).isTrue();
    }

    @Test
    void aDeadLetteredPackageCountsAsSettled() {
        // PackageDelivery settles a package once the dead-letter queue took it (PackageDeliveryTest shows that part)
        ledger.hold("m1");
        WebhookPackage delivered = pkg("m1");
        WebhookPackage deadLettered = pkg("m1");
        ledger.add(delivered);
        ledger.add(deadLettered);
        ledger.complete("m1");

        ledger.settled(delivered);
        ledger.settled(deadLettered);

        assertThat(handed).containsExactly(List.of("m1"));
    }

    @Test
    void aReleasedPackageKeepsItsMessagesEvenWhenTheOtherPackagesSettle() {
        ledger.hold("m1");
        ledger.hold("m2");
        WebhookPackage released = pkg("m1", "m2");
        WebhookPackage delivered = pkg("m2");
        ledger.add(released);
        ledger.add(delivered);
        ledger.complete("m1");
        ledger.complete("m2");

        ledger.released(released);
        ledger.settled(delivered);

        assertThat(handed).isEmpty();
        assertThat(ledger.isDeleted("m1")).isFalse();
        assertThat(ledger.isDeleted("m2")).isFalse();
    }

    @Test
    void deletesEachMessageOfAPackageAsSoonAsItsLastPackageSettles() {
        ledger.hold("m1");
        ledger.hold("m2");
        WebhookPackage both = pkg("m1", "m2");
        WebhookPackage second = pkg("m2");
        ledger.add(both);
        ledger.add(second);
        ledger.complete("m1");
        ledger.complete("m2");

        ledger.settled(both);
        assertThat(handed).containsExactly(List.of("m1"));
        ledger.settled(second);

        assertThat(handed).containsExactly(List.of("m1"), List.of("m2"));
    }

    @Test
    void waitsUntilTheMessageIsCompleteEvenWhenItsPackagesSettledFirst() {
        ledger.hold("m1");
        WebhookPackage pkg = pkg("m1");
        ledger.add(pkg);
        ledger.settled(pkg);
        assertThat(handed).isEmpty();

        ledger.complete("m1");

        assertThat(handed).containsExactly(List.of("m1"));
    }

    @Test
    void deletesACompleteMessageWithoutPackagesAtOnce() {
        ledger.hold("dropped-or-dead-lettered");

        ledger.complete("dropped-or-dead-lettered");

        assertThat(handed).containsExactly(List.of("dropped-or-dead-lettered"));
    }

    @Test
    void neverDeletesAKeptMessage() {
        ledger.hold("m1");
        WebhookPackage pkg = pkg("m1");
        ledger.add(pkg);
        ledger.keep("m1");
        ledger.complete("m1");

        ledger.settled(pkg);

        assertThat(handed).isEmpty();
    }

    @Test
    void handsEachMessageOverOnceEvenWhenAPackageIsSettledTwice() {
        ledger.hold("m1");
        WebhookPackage a = pkg("m1");
        WebhookPackage b = pkg("m1");
        ledger.add(a);
        ledger.add(b);
        ledger.complete("m1");

        ledger.settled(a);
        ledger.settled(a);
        assertThat(handed).as("the second settle of a is not b's").isEmpty();
        ledger.settled(b);
        ledger.complete("m1");

        assertThat(handed).containsExactly(List.of("m1"));
    }

    @Test
    void refusesAPackageFromAMessageItDoesNotHold() {
        assertThatThrownBy(() -> ledger.add(pkg("unknown"))).isInstanceOf(IllegalStateException.class);
    }

    static WebhookPackage pkg(String... sources) {
        return WebhookPackage.fresh(UUID.randomUUID(), List.of(), Instant.now(), List.of(sources));
    }
}
