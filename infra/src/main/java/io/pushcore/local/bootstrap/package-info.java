/**
 * What AWS Lambda's managed Java runtime does inside the function's process: loads the handler from the function zip
 * and serves invocations from the Runtime API. Runs in the child JVM with only the JDK and the zip's classes.
 */
package io.pushcore.local.bootstrap;
