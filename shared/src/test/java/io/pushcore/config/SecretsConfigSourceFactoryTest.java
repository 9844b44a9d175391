package io.pushcore.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.pushcore.testing.aws.FakeSecretsManager;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/** Properties from Secrets Manager, against a loopback server speaking its JSON protocol. */
class SecretsConfigSourceFactoryTest {

    static final String KEY = "RbTA8PFiwwW+lOL9lEf5p56pZUp7wjUj94Kptjbb4GI=";

    FakeSecretsManager secretsManager;

    @BeforeEach
    void start() throws Exception {
        secretsManager = new FakeSecretsManager();
    }

    @AfterEach
    void stop() {
        secretsManager.close();
    }

    ConfigSourceContext context(String mapping) {
        Map<String, String> values = new HashMap<>();
        if (mapping != null) {
            values.put(SecretsConfigSourceFactory.SECRETS, mapping);
        }
        values.put(SecretsConfigSourceFactory.ENDPOINT, secretsManager.endpoint());
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return values.containsKey(name) ? ConfigValue.builder().withName(name).withValue(values.get(name))
                        .build() : null;
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
    }

    ConfigSource source(String mapping) {
        Iterator<ConfigSource> sources = new SecretsConfigSourceFactory().getConfigSources(context(mapping))
                .iterator();
        assertThat(sources.hasNext()).isTrue();
        return sources.next();
    }

    @Test
    void readsWholeSecretsAndFieldsOfJsonSecretsEachSecretOnce() {
        secretsManager.put("pushcore/credential-key", KEY)
                .put("arn:aws:secretsmanager:eu-west-1:1:secret:pushcore/keys", "{\"messageId\":\"m-key\",\"apiKeys\":"
                        + "\"dev:abc\"}");

        ConfigSource source = source("send.security.credential-key=pushcore/credential-key,"
                + " send.security.message-id-key=arn:aws:secretsmanager:eu-west-1:1:secret:pushcore/keys#messageId,"
                + "send.auth.api-keys=arn:aws:secretsmanager:eu-west-1:1:secret:pushcore/keys#apiKeys");

        assertThat(source.getValue("send.security.credential-key")).isEqualTo(KEY);
        assertThat(source.getValue("send.security.message-id-key")).isEqualTo("m-key");
        assertThat(source.getValue("send.auth.api-keys")).isEqualTo("dev:abc");
        assertThat(source.getPropertyNames()).hasSize(3);
        // above application.properties (250), below environment variables (300)
        assertThat(source.getOrdinal()).isBetween(251, 299);
        assertThat(secretsManager.requests()).extracting(FakeSecretsManager.Request::secretId)
                .containsExactly("pushcore/credential-key", "arn:aws:secretsmanager:eu-west-1:1:secret:pushcore/keys");
        assertThat(secretsManager.requests()).allSatisfy(request -> {
            assertThat(request.target()).isEqualTo("secretsmanager.GetSecretValue");
            assertThat(request.signed()).isTrue();
        });
    }

    @Test
    void readsNothingWhenNoSecretIsNamed() {
        assertThat(new SecretsConfigSourceFactory().getConfigSources(context(null))).isEmpty();
        assertThat(new SecretsConfigSourceFactory().getConfigSources(context(" "))).isEmpty();
        assertThat(secretsManager.requests()).isEmpty();
    }

    @Test
    void aMissingSecretOrFieldFailsTheStartNamingThePropertyAndNeverAValue() {
        secretsManager.put("pushcore/keys", "{\"other\":\"" + KEY + "\"}").put("plain", KEY);

        assertThatThrownBy(() -> source("send.security.credential-key=pushcore/nope"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pushcore/nope").hasMessageContaining("send.security.credential-key")
                .hasMessageContaining("ResourceNotFoundException");
        assertThatThrownBy(() -> source("send.security.credential-key=pushcore/keys#credentialKey"))
                .hasMessageContaining("no text field credentialKey").hasMessageNotContaining(KEY);
        assertThatThrownBy(() -> source("send.security.credential-key=plain#credentialKey"))
                .hasMessageContaining("is not a JSON object").hasMessageNotContaining(KEY);
    }

    @Test
    void refusesAMalformedMapping() {
        for (String mapping : List.of("send.security.credential-key", "=x", "a=", "a=#f", "a=id#")) {
            assertThatThrownBy(() -> SecretsConfigSourceFactory.parse(mapping)).as(mapping)
                    .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("pushcore.secrets:");
        }
        assertThat(SecretsConfigSourceFactory.parse("a=b#c, d=e,")).containsExactly(
                new SecretsConfigSourceFactory.Reference("a", "b", "c"),
                new SecretsConfigSourceFactory.Reference("d", "e", null));
    }
}
