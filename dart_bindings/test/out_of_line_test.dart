// The readers and views of out-of-line fields, and MessageArena over ArenaFunctions made of
// Dart closures around malloc (no native library): copies, growth of an array that is and is
// not the arena's, and the element writes of repeated strings.
@TestOn('linux || mac-os')
library;

import 'dart:ffi';
import 'dart:typed_data';

import 'package:ffi/ffi.dart';
import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

/// libc's free, as the arena's finalizer: the fake arenas below are malloc'd bytes.
final _free = DynamicLibrary.process().lookup<NativeFunction<ArenaVoidNative>>('free');

/// Every block a fake arena handed out, freed by [freeAll].
final List<Pointer<Uint8>> _blocks = [];

void freeAll() {
  for (final b in _blocks) {
    malloc.free(b);
  }
  _blocks.clear();
}

Pointer<Void> _block(int size) {
  final p = malloc<Uint8>(size == 0 ? 1 : size);
  _blocks.add(p);
  return p.cast();
}

int reallocs = 0;

ArenaFunctions fakeArena() => ArenaFunctions(
      create: (block, size, limit) => malloc<Uint8>(8).cast(),
      destroy: (arena) => malloc.free(arena),
      destroyPointer: _free,
      allocAligned: (arena, size, align) => _block(size),
      realloc: (arena, ptr, oldSize, newSize, align) {
        reallocs++;
        final p = _block(newSize);
        p.cast<Uint8>().asTypedList(oldSize).setAll(0, ptr.cast<Uint8>().asTypedList(oldSize));
        return p;
      },
      reset: (arena) {},
      lastError: (arena) => 0,
    );

void main() {
  tearDown(freeAll);

  test('copyString stores UTF-8 with a NUL after it; the empty string is (nullptr, 0)', () {
    final arena = MessageArena(fakeArena());
    final (data, len) = arena.copyString('héllo');
    expect(len, 6);
    expect(data.asTypedList(7), [0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0]);
    expect(readOutOfLineString(data, len), 'héllo');
    final (none, zero) = arena.copyString('');
    expect(none, nullptr);
    expect(zero, 0);
    expect(readOutOfLineString(none, zero), '');
    arena.dispose();
  });

  test('outOfLineBytes is a view, not a copy', () {
    final arena = MessageArena(fakeArena());
    final (data, len) = arena.copyBytes([1, 2, 300]);
    final view = outOfLineBytes(data, len);
    expect(view, [1, 2, 44]); // modulo 256
    data[0] = 9;
    expect(view[0], 9);
    arena.dispose();
  });

  test('grow allocates for a foreign array and reallocates the arena\'s own', () {
    final arena = MessageArena(fakeArena());
    final foreign = malloc<Int32>(2)
      ..[0] = 5
      ..[1] = 6;
    final (first, cap) = arena.grow(foreign.cast(), 2, 0, 4, 4);
    expect(cap, 4);
    expect(first.cast<Int32>().asTypedList(2), [5, 6]);
    expect(reallocs, 0);
    final (second, cap2) = arena.grow(first, 4, cap, 4, 4);
    expect(cap2, 8);
    expect(reallocs, 1);
    expect(second.cast<Int32>().asTypedList(2), [5, 6]);
    malloc.free(foreign);
    arena.dispose();
  });

  test('setOutOfLineElement and outOfLineStringAt agree on the 16-byte element', () {
    final arena = MessageArena(fakeArena());
    final array = arena.allocate(2 * outOfLineElementSize);
    final (a, alen) = arena.copyString('ab');
    final (b, blen) = arena.copyString('cde');
    setOutOfLineElement(array, 0, a, alen);
    setOutOfLineElement(array, 1, b, blen);
    final list = OutOfLineList<String>('test.M.tags', 2, (i) => outOfLineStringAt(array, i));
    expect(list, ['ab', 'cde']);
    expect(() => list.add('x'), throwsUnsupportedError);
    expect(() => list[0] = 'x', throwsUnsupportedError);
    arena.dispose();
  });

  test('an arena used after dispose throws StateError', () {
    final arena = MessageArena(fakeArena())..dispose();
    expect(() => arena.allocate(8), throwsStateError);
    expect(() => arena.retain(Object()), throwsStateError);
    arena.dispose(); // idempotent
  });

  test('EntryMapView: the last entry of a key wins, keys are listed once', () {
    final keys = ['a', 'b', 'a'];
    final values = [1, 2, 3];
    final map = EntryMapView<String, int>('test.M.m', () => keys.length, (i) => keys[i], (i) => values[i]);
    expect(map['a'], 3);
    expect(map['b'], 2);
    expect(map['c'], isNull);
    expect(map.keys.toList()..sort(), ['a', 'b']);
    expect(map.length, 2);
    expect(() => map['d'] = 4, throwsUnsupportedError);
  });

  test('uint64 values of 2^63 and above round-trip through BigInt', () {
    final big = BigInt.parse('18446744073709551615'); // 2^64 - 1
    expect(bigIntToUint64(big), -1);
    expect(uint64ToBigInt(-1), big);
    expect(uint64ToBigInt(5), BigInt.from(5));
    expect(() => bigIntToUint64(-BigInt.one), throwsRangeError);
    expect(() => bigIntToUint64(big + BigInt.one), throwsRangeError);
  });

  test('listEquals and listHash compare element by element', () {
    expect(listEquals(Uint8List.fromList([1, 2]), Uint8List.fromList([1, 2])), isTrue);
    expect(listEquals([1, 2], [2, 1]), isFalse);
    expect(listHash([1, 2]), listHash(Int32List.fromList([1, 2])));
  });
}
