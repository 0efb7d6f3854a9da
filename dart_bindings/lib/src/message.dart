/// Messages that own their memory or keep its owner reachable: a message of a pool together
/// with the pool ([PoolMessage]), and a message on its own ([StandaloneMessage]).
///
/// A `Pointer<T>` is a bare address: it does not keep a pool or any other owner alive, and a
/// finalizer may free the memory while the pointer is still in use. A dart:ffi struct view
/// (`pointer.ref`) is no better: it holds the same address and cannot refer to a Dart object.
/// These handles hold the owner next to the pointer, so a handle that is reachable keeps its
/// message valid, and they hand the message out in a scope: [PoolMessage.use] runs a callback
/// with the view while the handle (a [Finalizable], so `this` stays alive to the end of the
/// method) is held, and checks that the handle was not released. The bare address is only
/// available as `unsafePointer`, for code that keeps the handle reachable itself.
library;

import 'dart:ffi';
import 'dart:typed_data';

import 'package:ffi/ffi.dart' show malloc;

import 'arena.dart' show MessageArena;
import 'fixed_list.dart' show FixedList;
import 'functions.dart';
import 'out_of_line.dart' show EntryMapView, OutOfLineList;
import 'pool.dart';
import 'status.dart' show checkStatus;

/// [result] (what the body of a `use` call returned), unless it is a [Future] (an
/// asynchronous body would keep using the view after the scope that keeps its owner alive
/// has ended) or a view this package or dart:ffi makes over native memory (a struct or union
/// view, a [FixedList], an [OutOfLineList], an [EntryMapView]), which would outlive the
/// scope too. Typed lists over native memory (`asTypedList`) cannot be told from Dart-heap
/// ones and pass. For the handles of this package; not exported.
R scopedResult<R>(R result, String name) {
  if (result is Future<Object?>) {
    throw ArgumentError('$name: the body of use() returned a Future; views must not outlive the call '
        '(keep the handle in a variable across awaits and call use() after each)');
  }
  if (result is Struct || result is Union || result is FixedList<Object?> ||
      result is OutOfLineList<Object?> || result is EntryMapView<Object?, Object?>) {
    throw ArgumentError('$name: the body of use() returned a view of native memory (${result.runtimeType}), '
        'which would outlive the call; return the values read from it, or a copy (List.of)');
  }
  return result;
}

/// The view of [p] that [fns] makes ([MessageFunctions.view]). Not exported.
T viewOf<T extends Struct>(MessageFunctions<T> fns, Pointer<T> p) {
  final view = fns.view;
  if (view == null) {
    throw StateError('${fns.name}: these bindings have no view function; regenerate them with this runtime');
  }
  return view(p);
}

/// A message of a [MessagePool], holding the pool (and the arena of its out-of-line data,
/// if any) so that neither is finalized while this handle is reachable.
final class PoolMessage<T extends Struct> implements Finalizable {
  /// A new message of [pool] (`T_pool_alloc`, initialised), and for a message whose tree
  /// has out-of-line fields, the [arena] its setters and decodes use.
  PoolMessage(this.pool, {this.arena}) : _pointer = pool.alloc();

  /// Decodes [bytes] into a new message of [pool]; a message whose tree has out-of-line
  /// fields needs an [arena], which this handle then keeps too.
  PoolMessage.decode(this.pool, Uint8List bytes, {this.arena}) : _pointer = pool.decode(bytes, arena: arena);

  /// The pool the message lives in.
  final MessagePool<T> pool;

  /// The arena of the message's out-of-line data, or null.
  final MessageArena? arena;

  Pointer<T> _pointer;

  /// The message's address, without a scope: valid only while this handle stays reachable
  /// (keep it in a variable or field for as long as the address or a view made from it is
  /// used) and until [release] or the pool's [MessagePool.dispose]. Throws [StateError]
  /// after either. Prefer [use] and [usePointer].
  Pointer<T> get unsafePointer {
    if (_pointer == nullptr) throw StateError('${pool.fns.name} message used after release()');
    if (pool.pointer == nullptr) throw StateError('${pool.fns.name} message used after its pool was disposed');
    return _pointer;
  }

  /// The message's address; renamed [unsafePointer].
  @Deprecated('use use() or usePointer(), or unsafePointer where the handle is kept reachable')
  Pointer<T> get pointer => unsafePointer;

  /// Calls [body] with the struct view of the message and returns its result. The handle is
  /// alive for the whole call, and the view must not be kept after it. Throws [StateError]
  /// after [release] or the pool's disposal, and [ArgumentError] when [body] returns a
  /// [Future] (an asynchronous body would use the view after the call) or a struct, union,
  /// [FixedList], [OutOfLineList] or [EntryMapView] view. Typed lists that getters return
  /// (`xView`, out-of-line numbers) are views too and cannot be detected: copy what must
  /// outlive the call (`List.of`, `Uint8List.fromList`).
  R use<R>(R Function(T message) body) => scopedResult(body(viewOf(pool.fns, unsafePointer)), pool.fns.name);

  /// Calls [body] with the message's address (for the generated `TPointer` extension:
  /// `addNewX`, `xView`, `copyFrom`), under the same rules as [use].
  R usePointer<R>(R Function(Pointer<T> message) body) => scopedResult(body(unsafePointer), pool.fns.name);

  /// Whether [release] has run.
  bool get isReleased => _pointer == nullptr;

  /// The canonical protobuf encoding, as a new Dart-owned [Uint8List].
  Uint8List encode() => MessageCodec<T>(pool.fns).encode(unsafePointer);

  /// Encodes into [out] and returns the number of bytes written ([MessageCodec.encodeInto]).
  int encodeInto(Uint8List out) => MessageCodec<T>(pool.fns).encodeInto(unsafePointer, out);

  /// Returns the slot to the pool now; the handle is unusable afterwards. Idempotent, and a
  /// no-op on the pool once the pool is disposed (which freed the slot). Without it, the slot
  /// is freed when the pool is (its [MessagePool.dispose] or finalizer).
  void release() {
    if (_pointer == nullptr) return;
    final p = _pointer;
    _pointer = nullptr;
    if (pool.pointer != nullptr) pool.free(p);
  }
}

/// A message in its own native allocation (malloc, initialised by `T_init`), freed by
/// [dispose] or by a [NativeFinalizer] once the handle is unreachable: for a message that
/// does not need a pool. Out-of-line data (if the tree has such fields) goes to [arena].
final class StandaloneMessage<T extends Struct> implements Finalizable {
  /// A new, initialised message; [arena] for out-of-line data, if the tree has any.
  StandaloneMessage(this.fns, {this.arena}) : _pointer = malloc<Uint8>(_size(fns)).cast<T>() {
    fns.init(_pointer);
    _freeFinalizer.attach(this, _pointer.cast(), detach: this, externalSize: fns.size());
  }

  /// A new message with [bytes] decoded into it ([MessageCodec.decodeInto]). On a decode
  /// error the message is freed before the [StatusException] propagates.
  factory StandaloneMessage.decode(MessageFunctions<T> fns, Uint8List bytes, {MessageArena? arena}) {
    final msg = StandaloneMessage<T>(fns, arena: arena);
    try {
      MessageCodec<T>(fns).decodeInto(msg.unsafePointer, bytes, arena: arena);
    } catch (_) {
      msg.dispose();
      rethrow;
    }
    return msg;
  }

  static int _size<S extends Struct>(MessageFunctions<S> fns) {
    // malloc returns memory aligned for every fundamental type (max_align_t), which covers
    // every alignment a generated struct has.
    final size = fns.size();
    return size == 0 ? 1 : size;
  }

  static final NativeFinalizer _freeFinalizer = NativeFinalizer(malloc.nativeFree);

  /// The message's native functions.
  final MessageFunctions<T> fns;

  /// The arena of the message's out-of-line data, or null.
  final MessageArena? arena;

  Pointer<T> _pointer;

  /// The message's address, without a scope: valid only while this handle stays reachable
  /// and until [dispose]. Throws [StateError] after [dispose]. Prefer [use] and [usePointer].
  Pointer<T> get unsafePointer {
    if (_pointer == nullptr) throw StateError('${fns.name} message used after dispose()');
    return _pointer;
  }

  /// The message's address; renamed [unsafePointer].
  @Deprecated('use use() or usePointer(), or unsafePointer where the handle is kept reachable')
  Pointer<T> get pointer => unsafePointer;

  /// Whether [dispose] has run.
  bool get isDisposed => _pointer == nullptr;

  /// Calls [body] with the struct view of the message and returns its result; see
  /// [PoolMessage.use]. Throws [StateError] after [dispose].
  R use<R>(R Function(T message) body) => scopedResult(body(viewOf(fns, unsafePointer)), fns.name);

  /// Calls [body] with the message's address, under the same rules as [use].
  R usePointer<R>(R Function(Pointer<T> message) body) => scopedResult(body(unsafePointer), fns.name);

  /// The canonical protobuf encoding, as a new Dart-owned [Uint8List].
  Uint8List encode() => MessageCodec<T>(fns).encode(unsafePointer);

  /// Encodes into [out] and returns the number of bytes written ([MessageCodec.encodeInto]).
  int encodeInto(Uint8List out) => MessageCodec<T>(fns).encodeInto(unsafePointer, out);

  /// Frees the message now. Idempotent.
  void dispose() {
    if (_pointer == nullptr) return;
    _freeFinalizer.detach(this);
    malloc.free(_pointer);
    _pointer = nullptr;
  }
}

/// [value], a uint64 read through dart:ffi (an `int` that is negative for 2^63 and above:
/// the same 64 bits in two's complement), as the unsigned number it stands for.
BigInt uint64ToBigInt(int value) => BigInt.from(value).toUnsigned(64);

/// The uint64 [value] (0 to 2^64 - 1) as the `int` with the same 64 bits, for a uint64
/// field or setter; throws [RangeError] outside that range.
int bigIntToUint64(BigInt value) {
  if (value.isNegative || value.bitLength > 64) {
    throw RangeError('$value is not a uint64 (0 to 2^64 - 1)');
  }
  return value.toSigned(64).toInt();
}

/// Copies the message [src] into [dst]: deeply with `T_copy` into [arena] when the message's
/// tree has out-of-line fields (the arena is then required and must outlive [dst]), else the
/// bytes of the struct. Throws [StatusException] for a failed `T_copy`.
void copyMessage<T extends Struct>(MessageFunctions<T> fns, Pointer<T> dst, Pointer<T> src, {MessageArena? arena}) {
  if (dst == src) return;
  final copy = fns.copy;
  if (copy != null) {
    if (arena == null) throw ArgumentError('${fns.name} has out-of-line fields: copying it takes an arena');
    checkStatus(copy(dst, src, arena.pointer), '${fns.name} copy');
    return;
  }
  final size = fns.size();
  dst.cast<Uint8>().asTypedList(size).setAll(0, src.cast<Uint8>().asTypedList(size));
}

/// Whether [a] and [b] have the same length and equal elements in order (for the generated
/// `==` of repeated and bytes fields).
bool listEquals<E>(List<E> a, List<E> b) {
  if (identical(a, b)) return true;
  if (a.length != b.length) return false;
  for (var i = 0; i < a.length; i++) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

/// A hash of the elements of [list] in order, consistent with [listEquals].
int listHash<E>(List<E> list) => Object.hashAll(list);
