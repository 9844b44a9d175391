/** Test support for send-function: a movable clock, key material, local push services and test profiles. */
package io.pushcore.send.support;
