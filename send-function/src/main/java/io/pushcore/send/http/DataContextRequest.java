package io.pushcore.send.http;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import io.pushcore.model.Action;
import io.pushcore.model.Behaviour;
import io.pushcore.model.DataContent;
import io.pushcore.model.Event;

/**
 * A data context (CORE's {@code CreateBucketDataContextDto}, see README "What devices receive"); also the {@code metadata} of
 * a one-shot send. Every field is optional. {@code ttl} is seconds, as a number or a numeric string.
 */
public record DataContextRequest(
        String title,
        String body,
        String subtitle,
        String icon,
        String smallIcon,
        String image,
        @PositiveOrZero Integer badge,
        @PositiveOrZero Integer badgeMobile,
        String channelName,
        String behaviour,
        String behaviourWebPush,
        String behaviourAndroid,
        String behaviourHuawei,
        String behaviourIos,
        @Size(max = 10) List<@NotNull @Valid ActionRequest> actions,
        String externalData,
        @Positive Long ttl,
        Instant expiresAt,
        String lang,
        String tag,
        Boolean renotify,
        Boolean requireInteraction,
        Boolean silent,
        @Size(max = 32) List<@NotNull @PositiveOrZero Integer> vibrate,
        String sound,
        String soundIos,
        String soundAndroid) {

    /** {@code action}: the id a click on it reports back, bounded like the client event's {@code action}. */
    public record ActionRequest(
            @NotBlank @Size(max = Event.MAX_ACTION_LENGTH) String action,
            String title,
            String icon,
            String behaviour,
            String behaviourWebPush,
            String behaviourAndroid,
            String behaviourHuawei,
            String behaviourIos) {

        Action toModel() {
            return new Action(action, title, icon,
                    new Behaviour(behaviour, behaviourWebPush, behaviourAndroid, behaviourHuawei, behaviourIos));
        }
    }

    DataContent toContent() {
        return new DataContent(title, body, subtitle, icon, smallIcon, image, badge, badgeMobile, channelName,
                new Behaviour(behaviour, behaviourWebPush, behaviourAndroid, behaviourHuawei, behaviourIos),
                actions == null ? List.of() : actions.stream().map(ActionRequest::toModel).toList(),
                externalData,
                new DataContent.WebOptions(lang, tag, renotify, requireInteraction, silent, vibrate),
                new DataContent.Sounds(sound, soundIos, soundAndroid));
    }
}
