package dev.gatehouse.audit;

/** Which events a query selects; null fields do not filter. */
public record AuditFilter(String actor, String action, String service, String fullName, String fullNamePrefix,
    Integer statusFrom, Integer statusTo, Long from, Long to) {}
