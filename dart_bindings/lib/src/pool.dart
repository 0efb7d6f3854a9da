/// Message pools and the protobuf wire codec over the generated native functions.
library;

import 'dart:ffi';
import 'dart:typed_data';

import 'package:ffi/ffi.dart' show malloc;

import 'arena.dart' show ArenaMessage, MessageArena;
import 'message.dart' show PoolMessage;
import 'functions.dart';
import 'status.dart';

/// A native pool of messages of type [T] (`T_pool_create`): fixed-size slots, so
/// allocating is a few instructions in C and a message never moves.
///
/// The pool is destroyed by [dispose], or by a [NativeFinalizer] once this object is
/// unreachable. Destroying the pool frees every message still allocated from it: pointers
/// from [alloc] or [decode] must not be used after that. One pool serves one isolate unless
/// it was created with [PoolFlags.threadSafe].
///
/// [PoolMessage] is a handle that holds the pool next to the message, so that a reachable
/// handle keeps its message valid: prefer it to bare pointers where messages outlive the
/// scope that made them.
///
/// **Keep the pool reachable while its messages are in use.** A `Pointer<T>` from [alloc]
/// or [decode] is a bare address: it does not keep the pool alive, and once no reference to
/// the pool remains, the garbage collector may run the finalizer and free the memory the
/// pointer still points to. Store the pool next to the pointers (in the same object), or
/// hold it in a local variable: since [MessagePool] is [Finalizable], a local variable that
/// refers to it keeps it alive until the end of its scope. Calling [dispose] when done makes
/// the lifetime explicit.
final class MessagePool<T extends Struct> implements Finalizable {
  /// A pool for the messages [fns] describes, with room for [initialCapacity] messages
  /// before it grows, at most [maxSlots] messages (0: no limit) and [flags]
  /// ([PoolFlags]). Without [initialCapacity] and [maxSlots] the pool is the one the schema
  /// sizes (options pool_size and pool_max: [MessageFunctions.poolSize] and
  /// [MessageFunctions.poolMax], as `T_pool_create_default` creates it). Throws [RangeError] for a negative count, and [StatusException] when
  /// the native pool cannot be created: ERR_INVALID_ARGUMENT when [maxSlots] is below
  /// [initialCapacity], ERR_OUT_OF_MEMORY when the first chunk cannot be allocated, or
  /// whatever `T_pool_create_status` reports when the bindings have it.
  MessagePool(this.fns, {int? initialCapacity, int? maxSlots, int flags = 0})
      : maxSlots = maxSlots ?? fns.poolMax,
        _pool = _create(fns, initialCapacity ?? fns.poolSize, maxSlots ?? fns.poolMax, flags),
        _alloc = (flags & PoolFlags.threadSafe) != 0 ? fns.poolAllocNonLeaf ?? fns.poolAlloc : fns.poolAlloc,
        _free = (flags & PoolFlags.threadSafe) != 0 ? fns.poolFreeNonLeaf ?? fns.poolFree : fns.poolFree {
    // externalSize tells the garbage collector about the native memory behind this small
    // object (the initial slots; growth is not reported).
    _finalizer(fns).attach(this, _pool.cast(), detach: this, externalSize: (initialCapacity ?? fns.poolSize) * fns.size());
  }

  /// The message's native functions.
  final MessageFunctions<T> fns;

  /// The most messages the pool holds at once; 0 for no limit.
  final int maxSlots;

  Pointer<Pool> _pool;

  // T_pool_alloc and T_pool_free: the leaf calls, or for a thread-safe pool, whose alloc and
  // free may wait for a lock, the non-leaf ones (MessageFunctions.poolAllocNonLeaf).
  final PoolAllocFn<T> _alloc;
  final PoolFreeFn<T> _free;

  static Pointer<Pool> _create<S extends Struct>(MessageFunctions<S> fns, int initialCapacity, int maxSlots, int flags) {
    RangeError.checkNotNegative(initialCapacity, 'initialCapacity');
    RangeError.checkNotNegative(maxSlots, 'maxSlots');
    final operation = '${fns.name} pool create';
    final create = fns.poolCreateStatus;
    if (create != null) {
      final out = malloc<Pointer<Pool>>();
      try {
        checkStatus(create(initialCapacity, maxSlots, flags, out), operation);
        return out.value;
      } finally {
        malloc.free(out);
      }
    }
    // T_pool_create_ex returns NULL for every failure. proto2ffi/pool.h names two causes for
    // the arguments it is given here: a maximum below the initial capacity (checked first)
    // and a first chunk that cannot be allocated.
    if (maxSlots != 0 && initialCapacity > maxSlots) {
      throw StatusException(_status('ERR_INVALID_ARGUMENT'), '$operation (maxSlots $maxSlots < initialCapacity $initialCapacity)');
    }
    final pool = fns.poolCreateEx(initialCapacity, maxSlots, flags);
    if (pool == nullptr) throw StatusException(_status('ERR_OUT_OF_MEMORY'), operation);
    return pool;
  }

  static final Map<int, NativeFinalizer> _finalizers = {};
  static NativeFinalizer _finalizer<S extends Struct>(MessageFunctions<S> fns) =>
      _finalizers.putIfAbsent(fns.poolDestroyPointer.address, () => NativeFinalizer(fns.poolDestroyPointer.cast()));

  /// The native pool; [nullptr] after [dispose].
  Pointer<Pool> get pointer => _pool;

  Pointer<Pool> _live() {
    if (_pool == nullptr) throw StateError('${fns.name} pool used after dispose()');
    return _pool;
  }

  /// An initialised message (`T_init`). Throws [StatusException] when the pool has none to
  /// give: ERR_POOL_EXHAUSTED when it is at [maxSlots], ERR_OUT_OF_MEMORY when it cannot
  /// grow.
  ///
  /// The status comes from `T_pool_alloc_status` when the bindings have it. Otherwise it is
  /// deduced, since `T_pool_alloc` only returns NULL: without [maxSlots] the pool cannot be
  /// exhausted, so the status is ERR_OUT_OF_MEMORY; with [maxSlots] it is
  /// ERR_POOL_EXHAUSTED, and the exception's operation says that it may be
  /// ERR_OUT_OF_MEMORY.
  Pointer<T> alloc() {
    final pool = _live();
    final msg = _alloc(pool);
    return msg != nullptr ? msg : _allocFailed(pool);
  }

  Pointer<T> _allocFailed(Pointer<Pool> pool) {
    final operation = '${fns.name} pool alloc';
    final allocStatus = fns.poolAllocStatus;
    if (allocStatus != null) {
      // One more attempt, through the call that reports its status: it returns a message
      // when memory was freed in between, or the reason why there is none.
      final status = malloc<Int32>()..value = 0;
      try {
        final msg = allocStatus(pool, status);
        if (msg != nullptr) return msg;
        throw StatusException(status.value != 0 ? status.value : _status('ERR_OUT_OF_MEMORY'), operation);
      } finally {
        malloc.free(status);
      }
    }
    if (maxSlots == 0) throw StatusException(_status('ERR_OUT_OF_MEMORY'), operation);
    throw StatusException(_status('ERR_POOL_EXHAUSTED'),
        '$operation (or ERR_OUT_OF_MEMORY: these bindings have no T_pool_alloc_status to tell)');
  }

  /// Returns [msg] to the pool. Throws [StatusException] when the native pool rejects it
  /// (a checked build detects foreign pointers and double frees).
  void free(Pointer<T> msg) => checkStatus(_free(_live(), msg), '${fns.name} pool free');

  /// [n] messages at once; fewer when the pool reaches its maximum or memory runs out.
  List<Pointer<T>> allocBatch(int n) {
    if (n <= 0) return <Pointer<T>>[];
    // The array is allocated as Pointer<Void> elements: allocation needs a type known at
    // compile time, and every object pointer has the size and representation of void *.
    final out = malloc<Pointer<Void>>(n);
    try {
      final got = fns.poolAllocBatch(_live(), out.cast<Pointer<T>>(), n);
      return [for (var i = 0; i < got; i++) out[i].cast<T>()];
    } finally {
      malloc.free(out);
    }
  }

  /// Returns every message of [msgs] to the pool.
  void freeBatch(List<Pointer<T>> msgs) {
    if (msgs.isEmpty) return;
    final arr = malloc<Pointer<Void>>(msgs.length); // Pointer<Void>: see allocBatch
    try {
      for (var i = 0; i < msgs.length; i++) {
        arr[i] = msgs[i].cast<Void>();
      }
      checkStatus(fns.poolFreeBatch(_live(), arr.cast<Pointer<T>>(), msgs.length), '${fns.name} pool free batch');
    } finally {
      malloc.free(arr);
    }
  }

  /// Decodes protobuf [bytes] straight into a new message of this pool. On an error the
  /// message goes back to the pool and a [StatusException] names the status. A message
  /// whose tree has out-of-line fields needs an [arena] for them, which must then outlive
  /// the message (or use [ArenaMessage], which keeps both together).
  Pointer<T> decode(Uint8List bytes, {MessageArena? arena}) {
    final msg = alloc();
    try {
      MessageCodec<T>(fns).decodeInto(msg, bytes, arena: arena);
    } catch (_) {
      _free(_pool, msg);
      rethrow;
    }
    return msg;
  }

  /// Destroys the native pool now; every message from it becomes invalid. Idempotent.
  void dispose() {
    if (_pool == nullptr) return;
    _finalizer(fns).detach(this);
    fns.poolDestroy(_pool);
    _pool = nullptr;
  }
}

/// The number of the status [name] in [statusCodes] (the table checked against the C header).
int _status(String name) => statusCodes.firstWhere((c) => c.name == name).value;

/// The protobuf wire codec of messages of type [T] (`T_decode`, `T_encode`).
final class MessageCodec<T extends Struct> {
  /// A codec over [fns]. Inputs of at most [leafDecodeLimit] bytes are decoded without a
  /// copy when [fns] has the leaf form of `T_decode` ([MessageFunctions.decodeTypedData]);
  /// 0 turns that off.
  MessageCodec(this.fns, {this.leafDecodeLimit = defaultLeafDecodeLimit}) {
    RangeError.checkNotNegative(leafDecodeLimit, 'leafDecodeLimit');
  }

  /// The message's native functions.
  final MessageFunctions<T> fns;

  /// The longest input decoded in place by the leaf call; longer inputs are copied.
  final int leafDecodeLimit;

  /// Whether [decodeInto] decodes [length] bytes in place (leaf call, no copy) rather than
  /// from a native copy (non-leaf call).
  bool decodesInPlace(int length) =>
      _leafLength(length) && (fns.outOfLine ? fns.decodeArenaTypedData : fns.decodeTypedData) != null;

  bool _leafLength(int length) => leafDecodeLimit > 0 && length <= leafDecodeLimit;

  /// Decodes [bytes] into [msg] (initialised first, as `T_decode` does). Throws
  /// [StatusException] with the decoder's status (ERR_TRUNCATED, ERR_STRING_TOO_LONG, ...);
  /// [msg] is then initialised.
  ///
  /// Up to [leafDecodeLimit] bytes, with bindings from `native()` (which have
  /// [MessageFunctions.decodeTypedData]), `T_decode` reads [bytes] where they are, through a
  /// leaf call: nothing is copied, and the garbage collector waits for the short call.
  /// Otherwise the bytes are copied once into native memory and decoded by the non-leaf
  /// call, which lets the garbage collector run during a long decode.
  ///
  /// A message whose tree has out-of-line fields ([MessageFunctions.outOfLine]) takes an
  /// [arena]: its strings, bytes, arrays and submessages are copied there, and [msg] points
  /// into it. Without one, that is an [ArgumentError]; an arena for an inline message is
  /// ignored.
  void decodeInto(Pointer<T> msg, Uint8List bytes, {MessageArena? arena}) {
    final decodeArena = fns.decodeArena;
    final decode = fns.decode;
    if (decodeArena != null && arena == null) {
      throw ArgumentError('${fns.name} has out-of-line fields: decoding it takes an arena');
    }
    final operation = '${fns.name} decode';
    if (_leafLength(bytes.length)) {
      if (decodeArena != null) {
        final inPlace = fns.decodeArenaTypedData;
        if (inPlace != null) {
          checkStatus(inPlace(msg, bytes, arena!.pointer), operation);
          return;
        }
      } else {
        final inPlace = fns.decodeTypedData;
        if (inPlace != null) {
          checkStatus(inPlace(msg, bytes), operation);
          return;
        }
      }
    }
    final buf = malloc<Uint8>(bytes.isEmpty ? 1 : bytes.length);
    try {
      buf.asTypedList(bytes.length).setAll(0, bytes);
      final status = decodeArena != null
          ? decodeArena(msg, buf, bytes.length, arena!.pointer)
          : decode!(msg, buf, bytes.length);
      checkStatus(status, operation);
    } finally {
      malloc.free(buf);
    }
  }

  /// Encodes [msg] into [out] and returns the number of bytes written. The encoder writes
  /// native memory, so the bytes are copied once into [out]. Throws [StatusException]
  /// (ERR_BUFFER_TOO_SMALL) when [out] is shorter than the encoding; [out] is then unchanged.
  int encodeInto(Pointer<T> msg, Uint8List out) {
    final need = fns.encodedSize(msg);
    if (need > out.length) {
      throw StatusException(_status('ERR_BUFFER_TOO_SMALL'), '${fns.name} encode ($need bytes into ${out.length})');
    }
    final buf = malloc<Uint8>(need == 0 ? 1 : need);
    final written = malloc<Size>();
    try {
      checkStatus(fns.encode(msg, buf, need, written), '${fns.name} encode');
      out.setRange(0, written.value, buf.asTypedList(written.value));
      return written.value;
    } finally {
      malloc.free(buf);
      malloc.free(written);
    }
  }

  /// The canonical protobuf encoding of [msg], as a new Dart-owned [Uint8List].
  Uint8List encode(Pointer<T> msg) {
    final cap = fns.encodedSize(msg);
    final buf = malloc<Uint8>(cap == 0 ? 1 : cap);
    final written = malloc<Size>();
    try {
      checkStatus(fns.encode(msg, buf, cap, written), '${fns.name} encode');
      return Uint8List.fromList(buf.asTypedList(written.value));
    } finally {
      malloc.free(buf);
      malloc.free(written);
    }
  }
}
