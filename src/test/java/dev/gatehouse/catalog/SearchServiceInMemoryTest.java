package dev.gatehouse.catalog;

/** Every search case again, answered by {@link SearchIndex} (H2's search) instead of SQL. */
class SearchServiceInMemoryTest extends SearchServiceTest {
  @Override
  boolean inMemory() {
    return true;
  }
}
