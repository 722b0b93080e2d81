package dev.gatehouse.catalog;

import dev.gatehouse.api.model.ColumnInfo;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Validation of a table's columns and a function's parameters. Their names are not securable names:
 * engines allow spaces and punctuation, so any 1 to 255 characters without control characters,
 * unique ignoring case (as Spark resolves them). Positions, when given, number them 0..n-1.
 */
final class Columns {
  static final int MAX_COLUMNS = 4096;
  static final int MAX_NAME_LENGTH = 255;

  private Columns() {}

  /** Validates and returns the columns in position order, positions and nullability filled in. */
  static List<ColumnInfo> validate(List<ColumnInfo> columns) {
    if (columns == null) {
      throw GatehouseException.invalid("'columns' is required.");
    }
    checkNamesAndPositions("columns", columns, ColumnInfo::getName, ColumnInfo::getPosition);
    Set<Integer> partitions = new HashSet<>();
    List<ColumnInfo> result = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ColumnInfo c = columns.get(i);
      String field = "columns[" + i + "]";
      require(c.getTypeName() != null, "'" + field + ".type_name' is required.");
      require(c.getTypeText() != null && !c.getTypeText().isBlank(), "'" + field + ".type_text' is required.");
      require(c.getPartitionIndex() == null || (c.getPartitionIndex() >= 0 && partitions.add(c.getPartitionIndex())),
          "'" + field + ".partition_index' must be unique and not negative.");
      require(nonNegative(c.getTypePrecision()) && nonNegative(c.getTypeScale()),
          "'" + field + "' type precision and scale must not be negative.");
      Names.comment(c.getComment());
      result.add(copy(c).position(c.getPosition() == null ? i : c.getPosition())
          .nullable(c.getNullable() == null || c.getNullable()));
    }
    result.sort(Comparator.comparingInt(ColumnInfo::getPosition));
    return result;
  }

  /**
   * Checks that every item has a valid name, unique ignoring case, and that the positions (an absent
   * one counts as the item's index) number the items 0..n-1 once each.
   */
  static <T> void checkNamesAndPositions(String field, List<T> items, Function<T, String> name,
      Function<T, Integer> position) {
    require(items.size() <= MAX_COLUMNS, "At most " + MAX_COLUMNS + " " + field + ".");
    Set<String> names = new HashSet<>();
    Set<Integer> positions = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String at = field + "[" + i + "]";
      T item = items.get(i);
      require(item != null, "'" + at + "' must be an object.");
      String n = name.apply(item);
      require(n != null && !n.isBlank(), "'" + at + ".name' is required.");
      require(n.length() <= MAX_NAME_LENGTH && n.chars().noneMatch(Character::isISOControl),
          "'" + at + ".name' must be 1 to " + MAX_NAME_LENGTH + " characters without control characters.");
      require(names.add(n.toLowerCase(Locale.ROOT)), "Name '" + n + "' appears twice in '" + field + "'.");
      int p = position.apply(item) == null ? i : position.apply(item);
      require(p >= 0 && p < items.size() && positions.add(p),
          "'" + at + ".position' must number the " + field + " 0 to " + (items.size() - 1) + " once each.");
    }
  }

  private static boolean nonNegative(Integer value) {
    return value == null || value >= 0;
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw GatehouseException.invalid(message);
    }
  }

  private static ColumnInfo copy(ColumnInfo c) {
    return new ColumnInfo().name(c.getName()).typeText(c.getTypeText()).typeJson(c.getTypeJson())
        .typeName(c.getTypeName()).typePrecision(c.getTypePrecision()).typeScale(c.getTypeScale())
        .typeIntervalType(c.getTypeIntervalType()).comment(c.getComment()).partitionIndex(c.getPartitionIndex());
  }
}
