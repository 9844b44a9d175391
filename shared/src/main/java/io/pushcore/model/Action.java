package io.pushcore.model;

import java.util.Objects;

/** A notification button: its id (reported back on click), label, icon URL and click target. */
public record Action(String action, String title, String icon, Behaviour behaviour) {

    public Action {
        Objects.requireNonNull(action, "action");
        behaviour = behaviour == null ? Behaviour.NONE : behaviour;
    }

    /**
     * The button's label: {@link #title()}. The API refuses actions without one ({@link DisplayRules}); contexts
     * stored before that rule may lack it, and then the action id stands in, because every CORE SDK needs a label.
     */
    public String label() {
        return title != null ? title : action;
    }
}
