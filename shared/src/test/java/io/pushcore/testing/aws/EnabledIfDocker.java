package io.pushcore.testing.aws;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class only where a Docker daemon answers; elsewhere JUnit reports it skipped with the
 * reason. Put it on the LocalStack variants of tests that also run against ElasticMQ/s3proxy.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Inherited
@ExtendWith(DockerCondition.class)
public @interface EnabledIfDocker {
}
