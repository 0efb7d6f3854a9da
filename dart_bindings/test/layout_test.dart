// checkLayout over MessageFunctions made of Dart closures (no native library): each of the
// four comparisons throws a LayoutException that names it, and equal values pass.
library;

import 'dart:ffi';

import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

final class Msg extends Struct {
  @Int64()
  external int id;
  @Uint32()
  external int nameLen;
  @Array(8)
  external Array<Uint8> name;
  @Array(4)
  external Array<Uint8> pad;
}

Never _unused([Object? _, Object? __, Object? ___, Object? ____]) => throw UnimplementedError();

MessageFunctions<Msg> fns({int size = 24, int align = 8, int fingerprint = -0x1234}) => MessageFunctions<Msg>(
      name: 'test.Msg',
      maxEncodedSize: 20,
      size: () => size,
      align: () => align,
      layoutFingerprint: () => fingerprint,
      init: _unused,
      poolCreate: _unused,
      poolCreateEx: _unused,
      poolAlloc: _unused,
      poolFree: _unused,
      poolAllocBatch: _unused,
      poolFreeBatch: _unused,
      poolDestroy: _unused,
      poolDestroyPointer: nullptr,
      decode: _unused,
      encode: _unused,
      encodedSize: _unused,
    );

Matcher layout(String what) => isA<LayoutException>().having((e) => e.what, 'what', what);

void main() {
  test('equal layouts pass', () {
    checkLayout(fns(), sizeOf<Msg>(), 24, 8, -0x1234);
  });
  test('a native size that differs from sizeOf', () {
    expect(() => checkLayout(fns(size: 32), sizeOf<Msg>(), 24, 8, -0x1234), throwsA(layout('sizeOf (size)')));
  });
  test('an alignment that differs', () {
    expect(() => checkLayout(fns(align: 4), sizeOf<Msg>(), 24, 8, -0x1234), throwsA(layout('alignment')));
  });
  test('the same size with another capacity: only the fingerprint differs', () {
    expect(() => checkLayout(fns(fingerprint: 0x77), sizeOf<Msg>(), 24, 8, -0x1234),
        throwsA(layout('layout fingerprint')
            .having((e) => e.toString(), 'toString', contains('0xffffffffffffedcc'))));
  });
}
