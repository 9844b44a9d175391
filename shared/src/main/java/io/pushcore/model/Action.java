package io.pushcore.model;

import java.util.Objects;

/** A notification button: its id (reported back on click), label, icon URL and click target. */
public record Action(String action, String title, String icon, Behaviour behaviour) {

    public Action {
        Objects.requireNonNull(action, "action");
        behaviour = behaviour == null ? Behaviour.NONE : behaviour;
    }
}
