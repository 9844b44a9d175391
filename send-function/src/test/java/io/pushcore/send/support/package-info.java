/** Test support for send-function: a movable clock, key material, a scripted push endpoint and test profiles. */
package io.pushcore.send.support;
