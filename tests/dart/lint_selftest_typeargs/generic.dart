// A deliberately broken file: `lint_dart.py --type-args-only` must report each call marked
// BAD below (the analyzer's non_constant_type_argument) and none marked ok.
import 'dart:ffi';

import 'package:ffi/ffi.dart';

final class Point extends Struct {
  @Int32()
  external int x;
}

typedef InitNative<T extends NativeType> = Void Function(Pointer<T>);
typedef InitFn<T extends NativeType> = void Function(Pointer<T>);

final class Holder<T extends Struct> {
  Holder(this.lib);

  final DynamicLibrary lib;

  Pointer<T> make() => nullptr;

  void allocations(int n, Allocator pool) {
    final a = malloc<Pointer<T>>(n); // BAD: nested type parameter
    final b = calloc<T>(); // BAD
    final c = pool<T>(); // BAD: a variable declared as an Allocator
    final d = malloc<Pointer<Void>>(n); // ok: cast afterwards
    final e = calloc<Point>(); // ok
    malloc.free(a);
    malloc.free(b);
    malloc.free(c);
    malloc.free(d);
    malloc.free(e);
  }

  int sizes() => sizeOf<T>() + sizeOf<Pointer<Void>>(); // BAD once

  void members(Pointer<T> p, Pointer<Point> q, Pointer<Pointer<T>> pp) {
    p.ref; // BAD
    p[0]; // BAD
    p.elementAt(1); // BAD
    q.ref.x = 1; // ok: a concrete struct
    pp[0].cast<Point>().ref.x = 2; // ok: Pointer<Pointer<T>> indexing, cast, concrete ref
    final made = make();
    made.ref; // BAD: make() returns Pointer<T>
    final other = q;
    other.ref.x = 3; // ok
  }

  void bind() {
    lib.lookupFunction<InitNative<T>, InitFn<T>>('init'); // BAD
    lib.lookupFunction<InitNative<Point>, InitFn<Point>>('init'); // ok
    final f = lib.lookup<NativeFunction<InitNative<Point>>>('init');
    f.asFunction<InitFn<T>>(); // BAD
    Struct.create<T>(); // BAD
  }
}

S first<S extends Struct>(Pointer<S> s) => s.ref; // BAD

int plain(Pointer<Point> p) => p.ref.x; // ok: not generic
