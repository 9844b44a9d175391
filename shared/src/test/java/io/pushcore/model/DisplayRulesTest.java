package io.pushcore.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class DisplayRulesTest {

    private static DataContent content(List<Action> actions, DataContent.WebOptions web) {
        return new DataContent("t", "b", null, null, null, null, null, null, null, null, actions, null, web, null);
    }

    @Test
    void acceptsActionsWithTitlesAndConsistentWebOptions() {
        assertThat(DisplayRules.problems(content(List.of(new Action("a", "Open", null, null)),
                new DataContent.WebOptions(null, "news", true, null, true, List.of())))).isEmpty();
        assertThat(DisplayRules.problems(content(List.of(), new DataContent.WebOptions(null, null, false, null,
                false, List.of(100))))).isEmpty();
    }

    @Test
    void namesEveryActionWithoutATitle() {
        assertThat(DisplayRules.problems(content(List.of(new Action("a", "Open", null, null),
                new Action("b", null, null, null), new Action("c", "  ", null, null)), null)))
                .containsExactly(
                        "actions[1].title: is required: every platform shows it as the button's label",
                        "actions[2].title: is required: every platform shows it as the button's label");
    }

    @Test
    void refusesRenotifyWithoutATagAndSilentWithVibrate() {
        assertThat(DisplayRules.problems(content(List.of(), new DataContent.WebOptions(null, null, true, null, null,
                List.of())))).singleElement().asString().startsWith("renotify: needs a tag");
        assertThat(DisplayRules.problems(content(List.of(), new DataContent.WebOptions(null, "", true, null, null,
                List.of())))).singleElement().asString().startsWith("renotify: needs a tag");
        assertThat(DisplayRules.problems(content(List.of(), new DataContent.WebOptions(null, null, null, null, true,
                List.of(200, 100))))).singleElement().asString().startsWith("vibrate: cannot be combined with silent");
    }
}
