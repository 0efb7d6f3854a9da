/// Readers of out-of-line fields (a pointer and a length or count in the struct, the data in
/// an arena or an aliased input buffer), and the list and map views the generated getters
/// return.
///
/// Nothing here copies the data, except what a [String] needs: a string getter decodes the
/// UTF-8 bytes where they lie. Views ([Uint8List], typed lists) are valid while the memory
/// is: until the arena is reset or disposed, or the input buffer freed ([ArenaMessage]
/// keeps both), and until the field is set again (a setter points it at new memory).
library;

import 'dart:collection';
import 'dart:convert';
import 'dart:ffi';
import 'dart:typed_data';

/// Bytes of one element of an out-of-line repeated string or bytes field: a C `p2f_str` /
/// `p2f_bytes` {data, len, reserved} (proto2ffi/codec.h).
const int outOfLineElementSize = 16;

/// The [len] bytes of UTF-8 at [data], decoded (U+FFFD for malformed input, which only
/// native code can have written); empty when [len] is 0 or [data] is null.
String readOutOfLineString(Pointer<Uint8> data, int len) =>
    len <= 0 || data == nullptr ? '' : utf8.decode(data.asTypedList(len), allowMalformed: true);

/// A view of the [len] bytes at [data], without copying; empty when [len] is 0 or [data] is
/// null.
Uint8List outOfLineBytes(Pointer<Uint8> data, int len) =>
    len <= 0 || data == nullptr ? Uint8List(0) : data.asTypedList(len);

Pointer<Uint8> _element(Pointer<Void> array, int i) =>
    Pointer<Uint8>.fromAddress(array.address + outOfLineElementSize * i);

/// Element [i] of an out-of-line repeated string field whose array is [array].
String outOfLineStringAt(Pointer<Void> array, int i) {
  final e = _element(array, i);
  return readOutOfLineString(e.cast<Pointer<Uint8>>().value, e.cast<Uint32>()[2]);
}

/// Element [i] of an out-of-line repeated bytes field, as a view without copying.
Uint8List outOfLineBytesAt(Pointer<Void> array, int i) {
  final e = _element(array, i);
  return outOfLineBytes(e.cast<Pointer<Uint8>>().value, e.cast<Uint32>()[2]);
}

/// Stores {[data], [len]} as element [i] of an out-of-line repeated string or bytes field.
void setOutOfLineElement(Pointer<Void> array, int i, Pointer<Uint8> data, int len) {
  final e = _element(array, i);
  e.cast<Pointer<Uint8>>().value = data;
  e.cast<Uint32>()
    ..[2] = len
    ..[3] = 0;
}

/// A fixed-length `List` view of an out-of-line repeated field: the length is the field's
/// count when the view is made, elements are read (and, with a setter, written) in place.
/// Growing goes through the generated `addX(arena, ...)`, which may move the array: make a
/// new view afterwards.
final class OutOfLineList<E> extends ListBase<E> {
  /// A view of [length] elements read by [_get] and written by [_set] (null: read-only,
  /// as for message elements, which are edited in place).
  OutOfLineList(this.field, int length, this._get, [this._set]) : _length = length < 0 ? 0 : length;

  /// The full protobuf name of the field, for error messages.
  final String field;

  final int _length;
  final E Function(int) _get;
  final void Function(int, E)? _set;

  @override
  int get length => _length;

  @override
  set length(int n) => throw UnsupportedError('$field: an out-of-line list grows with addX(arena, ...)');

  @override
  E operator [](int index) {
    RangeError.checkValidIndex(index, this, 'index', _length);
    return _get(index);
  }

  @override
  void operator []=(int index, E value) {
    RangeError.checkValidIndex(index, this, 'index', _length);
    final set = _set;
    if (set == null) throw UnsupportedError('$field: elements are edited in place or set with setX(arena, ...)');
    set(index, value);
  }

  @override
  void add(E element) => throw UnsupportedError('$field: use addX(arena, ...)');
}

/// A read-only `Map` view of a map field, over its entries in place (inline or out of line):
/// [count] entries, entry `i` having key [_key] and value [_value]. A key that occurs twice
/// (possible on the wire) maps to its last entry, as protobuf parsers keep it. Lookups walk
/// the entries (O(n)); copy with `Map.of` for many lookups. The entry count is read anew on
/// each use, so the view follows later changes of the field.
final class EntryMapView<K, V> extends UnmodifiableMapBase<K, V> {
  /// The view of the field [field].
  EntryMapView(this.field, this._count, this._key, this._value);

  /// The full protobuf name of the field.
  final String field;

  final int Function() _count;
  final K Function(int) _key;
  final V Function(int) _value;

  int _last(Object? key) {
    for (var i = _count() - 1; i >= 0; i--) {
      if (_key(i) == key) return i;
    }
    return -1;
  }

  @override
  V? operator [](Object? key) {
    final i = _last(key);
    return i < 0 ? null : _value(i);
  }

  @override
  bool containsKey(Object? key) => _last(key) >= 0;

  @override
  Iterable<K> get keys sync* {
    final n = _count();
    for (var i = 0; i < n; i++) {
      final k = _key(i);
      if (_last(k) == i) yield k; // each key once, where its last entry is
    }
  }
}
