package io.pushcore.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventKindTest {

    @Test
    void wireNamesAreLowerCase() {
        assertThat(EventKind.values()).extracting(EventKind::wireName)
                .containsExactly("sent", "unregistered", "failed", "delivered", "clicked", "closed");
    }

    @Test
    void clientPathsAcceptCloseAsAliasOfClosed() {
        assertThat(EventKind.fromClientPath("close")).contains(EventKind.CLOSED);
        assertThat(EventKind.fromClientPath("closed")).contains(EventKind.CLOSED);
        assertThat(EventKind.fromClientPath("delivered")).contains(EventKind.DELIVERED);
        assertThat(EventKind.fromClientPath("clicked")).contains(EventKind.CLICKED);
    }

    @Test
    void clientPathsRefuseServerKindsAndUnknownNames() {
        assertThat(EventKind.fromClientPath("sent")).isEmpty();
        assertThat(EventKind.fromClientPath("failed")).isEmpty();
        assertThat(EventKind.fromClientPath("Delivered")).isEmpty();
        assertThat(EventKind.fromClientPath(null)).isEmpty();
        assertThat(EventKind.fromWireName("close")).isEmpty();
    }
}
