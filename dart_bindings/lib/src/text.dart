/// Strings and bytes stored in fixed-size inline arrays of a generated struct.
///
/// A string field of capacity N is a `uint32_t x_len` plus `char x[N + 1]` in C: the UTF-8
/// bytes, then a NUL so C code can print it. A bytes field is `uint32_t x_len` plus
/// `uint8_t x[N]`. The generated accessors call these helpers with the field's array, length
/// and capacity.
library;

import 'dart:convert';
import 'dart:ffi';
import 'dart:typed_data';

/// A value does not fit in the capacity the schema gives its field.
final class CapacityException implements Exception {
  /// [field] (a full protobuf name) cannot hold [length] units; it holds [capacity].
  CapacityException(this.field, this.length, this.capacity, this.unit);

  /// `social.Post.content`.
  final String field;

  /// The size of the rejected value.
  final int length;

  /// The field's capacity.
  final int capacity;

  /// What is counted: `bytes of UTF-8`, `bytes`, `elements`.
  final String unit;

  @override
  String toString() =>
      'CapacityException: $field holds at most $capacity $unit; the value has $length';
}

/// The length a generated struct stores, clamped to the capacity so that a corrupt length
/// from native code can never make Dart read past the array.
int _clamp(int len, int capacity) => len < 0 ? 0 : (len > capacity ? capacity : len);

/// The first [len] bytes of [data] decoded as UTF-8. Malformed sequences (possible only when
/// native code wrote them; the decoder rejects invalid UTF-8 in strings) decode as U+FFFD.
String readString(Array<Uint8> data, int len, int capacity) {
  final n = _clamp(len, capacity);
  final bytes = Uint8List(n);
  for (var i = 0; i < n; i++) {
    bytes[i] = data[i];
  }
  return utf8.decode(bytes, allowMalformed: true);
}

/// Writes [value] as UTF-8 into [data], then a NUL after it, and returns the byte length for
/// the field's length member. Throws [CapacityException] naming [field] when the UTF-8 form
/// of [value] is longer than [capacity] bytes; [data] is then left unchanged.
int writeString(Array<Uint8> data, int capacity, String value, String field) {
  final bytes = utf8.encode(value);
  if (bytes.length > capacity) {
    throw CapacityException(field, bytes.length, capacity, 'bytes of UTF-8');
  }
  for (var i = 0; i < bytes.length; i++) {
    data[i] = bytes[i];
  }
  data[bytes.length] = 0; // the array has capacity + 1 elements
  return bytes.length;
}

/// A copy of the first [len] bytes of [data].
Uint8List readBytes(Array<Uint8> data, int len, int capacity) {
  final n = _clamp(len, capacity);
  final out = Uint8List(n);
  for (var i = 0; i < n; i++) {
    out[i] = data[i];
  }
  return out;
}

/// Copies [value] into [data] and returns its length for the field's length member. Throws
/// [CapacityException] naming [field] when [value] is longer than [capacity]; [data] is
/// then left unchanged. Elements are stored modulo 256, as a [Uint8List] would.
int writeBytes(Array<Uint8> data, int capacity, List<int> value, String field) {
  if (value.length > capacity) {
    throw CapacityException(field, value.length, capacity, 'bytes');
  }
  for (var i = 0; i < value.length; i++) {
    data[i] = value[i] & 0xff;
  }
  return value.length;
}

/// A view of [len] bytes (at most [capacity]) at [offset] bytes into the native memory
/// [base] points to, without copying. The view is valid as long as that memory is (for a
/// pooled message: until it is freed), and sees later writes to it.
Uint8List byteView(Pointer<NativeType> base, int offset, int len, int capacity) {
  final n = _clamp(len, capacity);
  if (n == 0) return Uint8List(0);
  return Pointer<Uint8>.fromAddress(base.address + offset).asTypedList(n);
}

/// [value] itself when it has exactly [size] bytes, for the setter of a fixed_length bytes
/// field (nanopb's fixed_length: the C struct has no length member, the field is always
/// [size] bytes). Throws [ArgumentError] naming [field] for any other length.
List<int> fixedBytes(List<int> value, int size, String field) {
  if (value.length != size) {
    throw ArgumentError.value(value.length, field, 'fixed_length: exactly $size bytes, not');
  }
  return value;
}
