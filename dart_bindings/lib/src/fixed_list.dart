/// List views over the repeated fields of generated structs.
library;

import 'dart:collection';

import 'text.dart' show CapacityException;

/// A `List` view of a repeated field stored inline: `uint32_t x_count` plus an array of
/// [capacity] elements. The list's length is the count; reading and writing go straight to
/// the struct's memory, so no copy is made and changes are seen by native code at once.
///
/// [add] and growing [length] stop at [capacity] with a [CapacityException]. Elements past
/// the count keep whatever bytes they held; growing [length] exposes them as they are.
/// Fields whose elements are messages have no element setter (structs are edited in place):
/// set [length], then fill `list[i]`'s fields.
final class FixedList<E> extends ListBase<E> {
  /// A view of the field named [field] (a full protobuf name, for error messages).
  FixedList(this.field, this.capacity, this._count, this._setCount, this._get, this._set);

  /// `social.Post.tags`.
  final String field;

  /// The most elements the field holds.
  final int capacity;

  final int Function() _count;
  final void Function(int) _setCount;
  final E Function(int) _get;
  final void Function(int, E)? _set;

  @override
  int get length {
    final n = _count();
    // A count beyond the capacity can only come from memory native code corrupted; never
    // index past the array because of it.
    return n < 0 ? 0 : (n > capacity ? capacity : n);
  }

  @override
  set length(int n) {
    if (n < 0) throw RangeError.range(n, 0, capacity, 'length');
    if (n > capacity) throw CapacityException(field, n, capacity, 'elements');
    _setCount(n);
  }

  @override
  E operator [](int index) {
    RangeError.checkValidIndex(index, this, 'index', length);
    return _get(index);
  }

  @override
  void operator []=(int index, E value) {
    RangeError.checkValidIndex(index, this, 'index', length);
    final set = _set;
    if (set == null) {
      throw UnsupportedError('$field: elements are structs; edit list[$index] in place');
    }
    set(index, value);
  }

  @override
  void add(E element) {
    final n = length;
    if (n >= capacity) throw CapacityException(field, n + 1, capacity, 'elements');
    final set = _set;
    if (set == null) {
      throw UnsupportedError('$field: elements are structs; set length, then edit the new element');
    }
    set(n, element);
    _setCount(n + 1);
  }

  @override
  void addAll(Iterable<E> iterable) {
    final items = iterable.toList(growable: false);
    if (length + items.length > capacity) {
      throw CapacityException(field, length + items.length, capacity, 'elements');
    }
    items.forEach(add);
  }

  @override
  void clear() => _setCount(0);
}

/// The length setter of a [FixedList] over a fixed_count field (nanopb's fixed_count: the C
/// struct has no count member, the field always holds [count] elements): setting the length
/// to [count] changes nothing, any other length throws [UnsupportedError] naming [field].
void Function(int) fixedCount(String field, int count) => (n) {
      if (n != count) throw UnsupportedError('$field: fixed_count, always $count elements');
    };
