// Input of dart.api_use.selftest: each wrong call or access below is reported once by
// check_api_use.py, and the correct ones next to them are not.
import 'dart:ffi';
import 'dart:typed_data';

import 'package:proto2ffi/proto2ffi.dart' as p2f;

final class Msg extends Struct {
  @Int32()
  external int x;
}

void pools(p2f.MessageFunctions<Msg> fns) {
  final pool = p2f.MessagePool<Msg>(fns, capacity: 8); // no parameter 'capacity'
  final ok = p2f.MessagePool<Msg>(fns, initialCapacity: 8, maxSlots: 16);
  final msg = p2f.PoolMessage<Msg>(pool);
  msg.relase(); // misspelt
  msg.release();
  ok.dispose();
  p2f.PoolMessage<Msg>.decoded(pool, Uint8List(0)); // no such constructor
  p2f.PoolMessage<Msg>.decode(pool, Uint8List(0));
  p2f.MessageCodec<Msg>(fns, 4096); // leafDecodeLimit is named
}

void scopes(p2f.MessageFunctions<Msg> fns, p2f.MessagePool<Msg> pool) {
  {
    final msg = p2f.StandaloneMessage<Msg>(fns);
    msg.isReleased; // a PoolMessage member
    msg.isDisposed;
  }
  {
    final msg = p2f.PoolMessage<Msg>(pool);
    msg.isReleased;
  }
  p2f.LayoutException('m', 'size'); // 2 of 4 positional arguments
  p2f.StatusException(-10, 'decode');
}

p2f.MessageFunctions<Msg> table() => p2f.MessageFunctions<Msg>(
      name: 'x',
      maxEncodedSize: 0,
      size: () => 4,
      align: () => 4,
      layoutFingerprint: () => 0,
      init: (m) {},
      poolCreate: (n) => nullptr,
      poolCreateEx: (n, m, f) => nullptr,
      poolAlloc: (p) => nullptr,
      poolFree: (p, m) => 0,
      poolAllocBatch: (p, o, n) => 0,
      poolFreeBatch: (p, o, n) => 0,
      poolDestroy: (p) {},
      poolDestroyPointer: nullptr,
      encodedSize: (m) => 0,
    ); // encode is missing

void views(p2f.MessageFunctions<Msg> fns) {
  final msg = p2f.StandaloneMessage<Msg>(fns);
  msg.use((m) => m.y); // Msg has no field y
  msg.use((m) => m.x + 1);
}
