// MessagePool's statuses for a failed create or alloc, over MessageFunctions made of Dart
// closures (no native library): the statuses C reports through the optional *_status
// functions, and the ones MessagePool deduces without them.
@TestOn('linux || mac-os')
library;

import 'dart:ffi';

import 'package:ffi/ffi.dart';
import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

final class Msg extends Struct {
  @Int32()
  external int x;
}

/// libc's free, as the pool's finalizer: the fake pools below are malloc'd bytes.
final _free = DynamicLibrary.process().lookup<NativeFunction<PoolDestroyNative>>('free');

MessageFunctions<Msg> fakeFunctions({
  PoolCreateExFn? create,
  PoolCreateStatusFn? createStatus,
  PoolAllocFn<Msg>? alloc,
  PoolAllocStatusFn<Msg>? allocStatus,
}) =>
    MessageFunctions<Msg>(
      name: 'test.Msg',
      maxEncodedSize: 6,
      size: () => 4,
      align: () => 4,
      layoutFingerprint: () => 1,
      init: (msg) => msg.ref.x = 0,
      poolCreate: (n) => malloc<Uint8>(8).cast(),
      poolCreateEx: create ?? (n, max, flags) => malloc<Uint8>(8).cast(),
      poolAlloc: alloc ?? (pool) => nullptr,
      poolFree: (pool, msg) => 0,
      poolAllocBatch: (pool, out, n) => 0,
      poolFreeBatch: (pool, msgs, n) => 0,
      poolDestroy: (pool) => malloc.free(pool),
      poolDestroyPointer: _free,
      decode: (msg, buf, len) => 0,
      encode: (msg, buf, cap, written) => 0,
      encodedSize: (msg) => 0,
      poolCreateStatus: createStatus,
      poolAllocStatus: allocStatus,
    );

Matcher status(String name) => isA<StatusException>().having((e) => e.name, 'name', name);

void main() {
  group('create', () {
    test('NULL from T_pool_create_ex is out of memory', () {
      expect(() => MessagePool<Msg>(fakeFunctions(create: (n, max, flags) => nullptr)),
          throwsA(status('ERR_OUT_OF_MEMORY')));
    });

    test('a maximum below the initial capacity is an invalid argument, before any native call', () {
      var calls = 0;
      final fns = fakeFunctions(create: (n, max, flags) {
        calls++;
        return nullptr;
      });
      expect(() => MessagePool<Msg>(fns, initialCapacity: 8, maxSlots: 4), throwsA(status('ERR_INVALID_ARGUMENT')));
      expect(calls, 0);
    });

    test('a negative capacity is a RangeError', () {
      expect(() => MessagePool<Msg>(fakeFunctions(), initialCapacity: -1), throwsRangeError);
    });

    test('T_pool_create_status: its status is reported as is', () {
      final fns = fakeFunctions(createStatus: (n, max, flags, out) => -1);
      expect(() => MessagePool<Msg>(fns), throwsA(status('ERR_INVALID_ARGUMENT')));
    });

    test('T_pool_create_status: the pool it writes is used', () {
      final fns = fakeFunctions(createStatus: (n, max, flags, out) {
        out.value = malloc<Uint8>(8).cast();
        return 0;
      });
      final pool = MessagePool<Msg>(fns);
      expect(pool.pointer, isNot(nullptr));
      pool.dispose();
    });
  });

  group('alloc', () {
    test('NULL without a maximum is out of memory', () {
      final pool = MessagePool<Msg>(fakeFunctions());
      expect(pool.alloc, throwsA(status('ERR_OUT_OF_MEMORY')));
      pool.dispose();
    });

    test('NULL with a maximum is pool exhausted, marked as deduced', () {
      final pool = MessagePool<Msg>(fakeFunctions(), initialCapacity: 2, maxSlots: 2);
      expect(pool.alloc, throwsA(isA<StatusException>()
          .having((e) => e.name, 'name', 'ERR_POOL_EXHAUSTED')
          .having((e) => e.operation, 'operation', contains('ERR_OUT_OF_MEMORY'))));
      pool.dispose();
    });

    test('T_pool_alloc_status: its status wins over the deduction', () {
      final pool = MessagePool<Msg>(fakeFunctions(allocStatus: (p, st) {
        st.value = -2;
        return nullptr;
      }), initialCapacity: 2, maxSlots: 2);
      expect(pool.alloc, throwsA(status('ERR_OUT_OF_MEMORY')));
      pool.dispose();
    });

    test('T_pool_alloc_status: a message from the second attempt is returned', () {
      final slot = malloc<Msg>();
      final pool = MessagePool<Msg>(fakeFunctions(allocStatus: (p, st) => slot));
      expect(pool.alloc(), slot);
      pool.dispose();
      malloc.free(slot);
    });
  });
}
