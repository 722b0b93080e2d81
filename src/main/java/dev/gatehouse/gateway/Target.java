package dev.gatehouse.gateway;

import dev.gatehouse.models.ServingSpec;

/** One version a call may be sent to: which, reached through which alias, and how it serves. */
public record Target(String modelFullName, long version, String alias, ServingSpec spec) {}
