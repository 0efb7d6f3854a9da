/// The status codes of proto2ffi's C functions (runtime/include/proto2ffi/status.h).
library;

/// One entry of the C status table: its number, its enumerator name without the `P2F_`
/// prefix, and its description.
final class StatusCode {
  /// An entry of [statusCodes].
  const StatusCode(this.value, this.name, this.description);

  /// The number the C functions return: 0 for success, negative for errors. Numbers never
  /// change meaning.
  final int value;

  /// `OK`, `ERR_TRUNCATED`, ...: the C enumerator without `P2F_`.
  final String name;

  /// The text `p2f_status_str` returns.
  final String description;

  @override
  String toString() => '$name ($value): $description';
}

/// The C table P2F_STATUS_TABLE, entry for entry and in the same order. A test of the
/// repository (tests/dart/check_status_table.py) compares this list with the C header.
const List<StatusCode> statusCodes = [
  StatusCode(0, 'OK', 'success'),
  StatusCode(-1, 'ERR_INVALID_ARGUMENT', 'invalid argument (NULL pointer or out-of-range value)'),
  StatusCode(-2, 'ERR_OUT_OF_MEMORY', 'out of memory'),
  StatusCode(-3, 'ERR_POOL_EXHAUSTED', 'pool reached its maximum number of slots'),
  StatusCode(-4, 'ERR_POOL_FOREIGN_POINTER', 'pointer does not belong to this pool'),
  StatusCode(-5, 'ERR_POOL_DOUBLE_FREE', 'slot freed twice'),
  StatusCode(-6, 'ERR_ARENA_LIMIT', 'allocation would take the arena past its byte limit'),
  StatusCode(-10, 'ERR_TRUNCATED', 'input ends in the middle of a field'),
  StatusCode(-11, 'ERR_VARINT_OVERFLOW', 'varint longer than 10 bytes'),
  StatusCode(-12, 'ERR_LENGTH_OVERFLOW', 'length-delimited field runs past the end of its input'),
  StatusCode(-13, 'ERR_STRING_TOO_LONG', "string or bytes value longer than the field's capacity"),
  StatusCode(-14, 'ERR_TOO_MANY_ELEMENTS', "more repeated elements than the field's capacity"),
  StatusCode(-15, 'ERR_INVALID_UTF8', 'string field is not valid UTF-8'),
  StatusCode(-16, 'ERR_WIRE_TYPE_MISMATCH', "wire type does not match the field's declared type"),
  StatusCode(-17, 'ERR_INVALID_FIELD_NUMBER', 'field number 0 or above 536870911'),
  StatusCode(-18, 'ERR_NESTING_TOO_DEEP', "messages nested deeper than the decoder's limit"),
  StatusCode(-19, 'ERR_INVALID_WIRE_TYPE', 'wire type 6 or 7, or an unmatched group end'),
  StatusCode(-20, 'ERR_MISSING_REQUIRED', 'a required field is missing'),
  StatusCode(-21, 'ERR_INTEGER_RANGE', "integer outside the range of its field's int_size width"),
  StatusCode(-22, 'ERR_FIXED_LENGTH', 'bytes value of a fixed_length field not exactly its size'),
  StatusCode(-23, 'ERR_FIXED_COUNT', 'fixed_count field without exactly its number of elements'),
  StatusCode(-30, 'ERR_BUFFER_TOO_SMALL', 'output buffer too small'),
  StatusCode(-40, 'ERR_UNKNOWN_MESSAGE', 'no message with that name in the table'),
];

final Map<int, StatusCode> _byValue = {for (final c in statusCodes) c.value: c};

/// The entry for [value], or null for a number the table does not have.
StatusCode? statusCodeOf(int value) => _byValue[value];

/// A C function returned an error status.
final class StatusException implements Exception {
  /// An exception for [status], returned by [operation] (a C function name or a short
  /// description of the call).
  StatusException(this.status, this.operation);

  /// The number the C function returned.
  final int status;

  /// What was called: `social_Post_decode`, `pool alloc`, ...
  final String operation;

  /// The C enumerator name without `P2F_` (`ERR_TRUNCATED`), or `UNKNOWN` for a number
  /// outside the table.
  String get name => statusCodeOf(status)?.name ?? 'UNKNOWN';

  /// The table's description of [status].
  String get description => statusCodeOf(status)?.description ?? 'unknown status';

  @override
  String toString() => 'StatusException: $operation failed with $name ($status): $description';
}

/// Throws a [StatusException] unless [status] is 0 (OK).
void checkStatus(int status, String operation) {
  if (status != 0) throw StatusException(status, operation);
}
