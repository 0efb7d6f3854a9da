// The owning handles PoolMessage and StandaloneMessage, and MessageCodec's choice between the
// in-place (leaf) decode and the copying one, over MessageFunctions made of Dart closures (no
// native library). The fake pool hands out malloc'd slots and records every call, so each
// test can check what reached the "native" side: which slot was freed and how often, whether
// a released or orphaned handle still reaches it, which decode path saw the bytes.
@TestOn('linux || mac-os')
library;

import 'dart:ffi';
import 'dart:typed_data';

import 'package:ffi/ffi.dart';
import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

final class Msg extends Struct {
  @Int32()
  external int x;
  @Int32()
  external int y;
}

/// libc's free, as the pool's finalizer: the fake pools below are malloc'd bytes.
final _free = DynamicLibrary.process().lookup<NativeFunction<PoolDestroyNative>>('free');

int _code(String name) => statusCodes.firstWhere((c) => c.name == name).value;

/// What the fake native functions were asked to do, and the slots they handed out.
final class Calls {
  final List<Pointer<Msg>> slots = [];
  final List<int> freed = [];
  final List<String> decodes = [];
  int inits = 0;
  int destroyed = 0;
  List<int>? decoded;

  void freeSlots() {
    for (final s in slots) {
      malloc.free(s);
    }
    slots.clear();
  }
}

/// A decode that stores the first input byte in x and the length in y.
int _fakeDecode(Calls calls, String path, Pointer<Msg> msg, List<int> bytes, int status) {
  calls.decodes.add('$path:${bytes.length}');
  calls.decoded = List<int>.of(bytes);
  msg.ref
    ..x = bytes.isEmpty ? -1 : bytes[0]
    ..y = bytes.length;
  return status;
}

MessageFunctions<Msg> fakeFunctions(Calls calls, {bool view = true, bool inPlace = false, int decodeStatus = 0}) =>
    MessageFunctions<Msg>(
      name: 'test.Msg',
      maxEncodedSize: 22,
      size: () => sizeOf<Msg>(),
      align: () => 4,
      layoutFingerprint: () => 1,
      init: (msg) {
        calls.inits++;
        msg.ref
          ..x = 7
          ..y = 0;
      },
      poolCreate: (n) => malloc<Uint8>(8).cast(),
      poolCreateEx: (n, max, flags) => malloc<Uint8>(8).cast(),
      poolAlloc: (pool) {
        final slot = malloc<Msg>();
        slot.ref
          ..x = 7
          ..y = 0;
        calls.slots.add(slot);
        return slot;
      },
      poolFree: (pool, msg) {
        calls.freed.add(msg.address);
        return 0;
      },
      poolAllocBatch: (pool, out, n) => 0,
      poolFreeBatch: (pool, msgs, n) => 0,
      poolDestroy: (pool) {
        calls.destroyed++;
        malloc.free(pool);
      },
      poolDestroyPointer: _free,
      decode: (msg, buf, len) => _fakeDecode(calls, 'copy', msg, buf.asTypedList(len), decodeStatus),
      decodeTypedData: inPlace ? (msg, bytes) => _fakeDecode(calls, 'leaf', msg, bytes, decodeStatus) : null,
      encode: (msg, buf, cap, written) {
        buf[0] = msg.ref.x;
        written.value = 1;
        return 0;
      },
      encodedSize: (msg) => 1,
      view: view ? (p) => p.ref : null,
    );

Matcher status(String name) => isA<StatusException>().having((e) => e.name, 'name', name);

void main() {
  late Calls calls;
  setUp(() => calls = Calls());
  tearDown(() => calls.freeSlots());

  group('PoolMessage', () {
    test('allocates one slot from its pool and keeps the pool', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      expect(calls.slots, hasLength(1));
      expect(msg.unsafePointer, calls.slots.single);
      expect(identical(msg.pool, pool), isTrue);
      expect(msg.isReleased, isFalse);
      pool.dispose();
    });

    test('use() passes the view of its slot and returns the body\'s result', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      expect(msg.use((m) => m.x), 7);
      msg.use((m) => m.y = 41);
      expect(calls.slots.single.ref.y, 41);
      expect(msg.usePointer((p) => p.address), calls.slots.single.address);
      pool.dispose();
    });

    test('release() frees the slot once, also when called twice', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      final address = msg.unsafePointer.address;
      msg.release();
      msg.release();
      expect(calls.freed, [address]);
      expect(msg.isReleased, isTrue);
      pool.dispose();
    });

    test('after release() every access throws StateError and reaches no native function', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool)..release();
      expect(() => msg.unsafePointer, throwsStateError);
      expect(() => msg.use((m) => m.x), throwsStateError);
      expect(() => msg.usePointer((p) => p), throwsStateError);
      expect(msg.encode, throwsStateError);
      expect(() => msg.encodeInto(Uint8List(4)), throwsStateError);
      expect(calls.freed, hasLength(1));
      pool.dispose();
    });

    test('a disposed pool makes its handles unusable, and release() then frees nothing', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      pool.dispose();
      expect(calls.destroyed, 1);
      expect(() => msg.use((m) => m.x), throwsStateError);
      expect(() => msg.unsafePointer, throwsStateError);
      msg.release();
      expect(calls.freed, isEmpty);
      expect(msg.isReleased, isTrue);
    });

    test('use() rejects an asynchronous body', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      expect(() => msg.use((m) async => m.x), throwsArgumentError);
      expect(() => msg.usePointer((p) => Future<int>.value(1)), throwsArgumentError);
      pool.dispose();
    });

    test('use() rejects the view, or a struct of it, as its result', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      expect(() => msg.use((m) => m), throwsArgumentError);
      expect(() => msg.usePointer((p) => p.ref), throwsArgumentError);
      final list = FixedList<int>('test.Msg.x', 1, () => 1, (n) {}, (i) => 0, null);
      expect(() => msg.use((m) => list), throwsArgumentError);
      expect(msg.use((m) => List<int>.of(list)), [0]);
      expect(msg.use((m) => m.x), 7);
      pool.dispose();
    });

    test('use() without a view function in the bindings is a StateError', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls, view: false));
      final msg = PoolMessage<Msg>(pool);
      expect(() => msg.use((m) => m.x), throwsStateError);
      expect(msg.usePointer((p) => p.address), calls.slots.single.address);
      pool.dispose();
    });

    test('decode() decodes into the new slot; a failed decode returns the slot', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>.decode(pool, Uint8List.fromList([9, 8]));
      expect(msg.use((m) => (m.x, m.y)), (9, 2));
      expect(calls.decoded, [9, 8]);
      pool.dispose();

      final failing = MessagePool<Msg>(fakeFunctions(calls, decodeStatus: _code('ERR_TRUNCATED')));
      expect(() => PoolMessage<Msg>.decode(failing, Uint8List.fromList([1])), throwsA(status('ERR_TRUNCATED')));
      expect(calls.freed, [calls.slots.last.address]);
      failing.dispose();
    });

    test('encode() goes through the slot', () {
      final pool = MessagePool<Msg>(fakeFunctions(calls));
      final msg = PoolMessage<Msg>(pool);
      msg.use((m) => m.x = 5);
      expect(msg.encode(), [5]);
      pool.dispose();
    });
  });

  group('StandaloneMessage', () {
    test('is initialised by T_init in its own allocation', () {
      final msg = StandaloneMessage<Msg>(fakeFunctions(calls));
      expect(calls.inits, 1);
      expect(calls.slots, isEmpty);
      expect(msg.use((m) => m.x), 7);
      msg.dispose();
    });

    test('dispose() is idempotent, and the handle is unusable afterwards', () {
      final msg = StandaloneMessage<Msg>(fakeFunctions(calls));
      msg
        ..dispose()
        ..dispose();
      expect(msg.isDisposed, isTrue);
      expect(() => msg.unsafePointer, throwsStateError);
      expect(() => msg.use((m) => m.x), throwsStateError);
      expect(msg.encode, throwsStateError);
    });

    test('decode() fills the message; a failed decode throws the status', () {
      final msg = StandaloneMessage<Msg>.decode(fakeFunctions(calls), Uint8List.fromList([3, 4, 5]));
      expect(msg.use((m) => (m.x, m.y)), (3, 3));
      msg.dispose();
      expect(() => StandaloneMessage<Msg>.decode(fakeFunctions(calls, decodeStatus: _code('ERR_INVALID_UTF8')), Uint8List(2)),
          throwsA(status('ERR_INVALID_UTF8')));
    });

    test('use() rejects an asynchronous body', () {
      final msg = StandaloneMessage<Msg>(fakeFunctions(calls));
      expect(() => msg.use((m) async => m.x), throwsArgumentError);
      msg.dispose();
    });
  });

  group('MessageCodec.decodeInto', () {
    test('short inputs go to the in-place leaf decode, with the bytes themselves', () {
      final fns = fakeFunctions(calls, inPlace: true);
      final msg = StandaloneMessage<Msg>(fns);
      final bytes = Uint8List.fromList([1, 2, 3]);
      MessageCodec<Msg>(fns).decodeInto(msg.unsafePointer, bytes);
      expect(calls.decodes, ['leaf:3']);
      expect(MessageCodec<Msg>(fns).decodesInPlace(3), isTrue);
      msg.dispose();
    });

    test('inputs past the leaf limit are copied and decoded by the non-leaf call', () {
      final fns = fakeFunctions(calls, inPlace: true);
      final msg = StandaloneMessage<Msg>(fns);
      final codec = MessageCodec<Msg>(fns, leafDecodeLimit: 4);
      codec.decodeInto(msg.unsafePointer, Uint8List.fromList([1, 2, 3, 4]));
      codec.decodeInto(msg.unsafePointer, Uint8List.fromList([6, 5, 4, 3, 2]));
      expect(calls.decodes, ['leaf:4', 'copy:5']);
      expect(calls.decoded, [6, 5, 4, 3, 2]);
      expect(codec.decodesInPlace(5), isFalse);
      msg.dispose();
    });

    test('the default limit is defaultLeafDecodeLimit', () {
      final fns = fakeFunctions(calls, inPlace: true);
      final msg = StandaloneMessage<Msg>(fns);
      MessageCodec<Msg>(fns).decodeInto(msg.unsafePointer, Uint8List(defaultLeafDecodeLimit));
      MessageCodec<Msg>(fns).decodeInto(msg.unsafePointer, Uint8List(defaultLeafDecodeLimit + 1));
      expect(calls.decodes, ['leaf:$defaultLeafDecodeLimit', 'copy:${defaultLeafDecodeLimit + 1}']);
      msg.dispose();
    });

    test('without the leaf binding (DynamicLibrary bindings) every input is copied', () {
      final fns = fakeFunctions(calls);
      final msg = StandaloneMessage<Msg>(fns);
      MessageCodec<Msg>(fns).decodeInto(msg.unsafePointer, Uint8List.fromList([1]));
      expect(calls.decodes, ['copy:1']);
      expect(MessageCodec<Msg>(fns).decodesInPlace(1), isFalse);
      msg.dispose();
    });

    test('a limit of 0 turns the in-place decode off, a negative one is a RangeError', () {
      final fns = fakeFunctions(calls, inPlace: true);
      final msg = StandaloneMessage<Msg>(fns);
      MessageCodec<Msg>(fns, leafDecodeLimit: 0).decodeInto(msg.unsafePointer, Uint8List.fromList([1]));
      expect(calls.decodes, ['copy:1']);
      expect(() => MessageCodec<Msg>(fns, leafDecodeLimit: -1), throwsRangeError);
      msg.dispose();
    });

    test('the in-place decode reports its status', () {
      final fns = fakeFunctions(calls, inPlace: true, decodeStatus: _code('ERR_WIRE_TYPE_MISMATCH'));
      final msg = StandaloneMessage<Msg>(fns);
      expect(() => MessageCodec<Msg>(fns).decodeInto(msg.unsafePointer, Uint8List.fromList([1])),
          throwsA(status('ERR_WIRE_TYPE_MISMATCH')));
      msg.dispose();
    });
  });
}
