/// The C signatures of the functions generated for every message, and the per-message table
/// the generated bindings fill with them.
///
/// For a message with C type `T` (`social_Post`), the generated `x.ffi.c` exports:
///
/// ```c
/// size_t T_size(void);                      size_t T_align(void);
/// uint64_t T_layout_fingerprint(void);
/// void T_init(T *msg);
/// p2f_pool *T_pool_create(size_t initial_capacity);
/// p2f_pool *T_pool_create_ex(size_t initial_capacity, size_t max_slots, uint32_t flags);
/// T *T_pool_alloc(p2f_pool *pool);
/// p2f_status T_pool_free(p2f_pool *pool, T *msg);
/// size_t T_pool_alloc_batch(p2f_pool *pool, T **out, size_t n);
/// p2f_status T_pool_free_batch(p2f_pool *pool, T *const *msgs, size_t n);
/// void T_pool_destroy(p2f_pool *pool);
/// p2f_status T_decode(T *msg, const uint8_t *buf, size_t len);   // inline trees
/// p2f_status T_encode(const T *msg, uint8_t *buf, size_t cap, size_t *written);
/// size_t T_encoded_size(const T *msg);
/// ```
///
/// `T_pool_create_ex` and `T_pool_alloc` return NULL for every failure. Two optional
/// functions with the same work report the status as well; the bindings pass them when the
/// native library has them (see [MessageFunctions.poolCreateStatus]):
///
/// ```c
/// p2f_status T_pool_create_status(size_t initial_capacity, size_t max_slots, uint32_t flags,
///                                 p2f_pool **out);
/// T *T_pool_alloc_status(p2f_pool *pool, p2f_status *status);  // status: on failure only
/// ```
///
/// A message whose tree has out-of-line fields (docs/generated-c-api.md) decodes into an
/// arena instead, and has a deep copy:
///
/// ```c
/// p2f_status T_decode(T *msg, const uint8_t *buf, size_t len, p2f_arena *arena);
/// p2f_status T_decode_ex(T *msg, const uint8_t *buf, size_t len, const p2f_decode_options *opts);
/// p2f_status T_copy(T *dst, const T *src, p2f_arena *arena);
/// ```
///
/// `p2f_status` is a C enum: an `int` (Int32 on every platform Dart supports).
library;

import 'dart:ffi';
import 'dart:typed_data';

/// The C `p2f_pool`: opaque, only handled through pointers.
final class Pool extends Opaque {}

/// Flags of `T_pool_create_ex` (P2F_POOL_* in proto2ffi/pool.h).
abstract final class PoolFlags {
  /// Usable from several threads at once (per-thread caches over a shared free list).
  static const int threadSafe = 1 << 0;

  /// With [threadSafe]: one mutex around every call and no per-thread caches.
  static const int locked = 1 << 1;
}

/// `size_t T_size(void)`, `size_t T_align(void)`.
typedef SizeNative = Size Function();
/// Dart form of [SizeNative].
typedef SizeFn = int Function();
/// `uint64_t T_layout_fingerprint(void)`: a hash of the message's layout (every member's
/// offset, size, type, dimensions, capacities and storage class), computed by the generator.
typedef LayoutFingerprintNative = Uint64 Function();
/// Dart form of [LayoutFingerprintNative]: values of 2^63 and above are negative ints.
typedef LayoutFingerprintFn = int Function();
/// `void T_init(T *msg)`.
typedef InitNative<T extends NativeType> = Void Function(Pointer<T>);
/// Dart form of [InitNative].
typedef InitFn<T extends NativeType> = void Function(Pointer<T>);
/// `p2f_pool *T_pool_create(size_t initial_capacity)`.
typedef PoolCreateNative = Pointer<Pool> Function(Size);
/// Dart form of [PoolCreateNative].
typedef PoolCreateFn = Pointer<Pool> Function(int);
/// `p2f_pool *T_pool_create_ex(size_t initial_capacity, size_t max_slots, uint32_t flags)`.
typedef PoolCreateExNative = Pointer<Pool> Function(Size, Size, Uint32);
/// Dart form of [PoolCreateExNative].
typedef PoolCreateExFn = Pointer<Pool> Function(int, int, int);
/// `T *T_pool_alloc(p2f_pool *pool)`.
typedef PoolAllocNative<T extends NativeType> = Pointer<T> Function(Pointer<Pool>);
/// Dart form of [PoolAllocNative].
typedef PoolAllocFn<T extends NativeType> = Pointer<T> Function(Pointer<Pool>);
/// `p2f_status T_pool_free(p2f_pool *pool, T *msg)`.
typedef PoolFreeNative<T extends NativeType> = Int32 Function(Pointer<Pool>, Pointer<T>);
/// Dart form of [PoolFreeNative].
typedef PoolFreeFn<T extends NativeType> = int Function(Pointer<Pool>, Pointer<T>);
/// `size_t T_pool_alloc_batch(p2f_pool *pool, T **out, size_t n)`.
typedef PoolAllocBatchNative<T extends NativeType> = Size Function(Pointer<Pool>, Pointer<Pointer<T>>, Size);
/// Dart form of [PoolAllocBatchNative].
typedef PoolAllocBatchFn<T extends NativeType> = int Function(Pointer<Pool>, Pointer<Pointer<T>>, int);
/// `p2f_status T_pool_free_batch(p2f_pool *pool, T *const *msgs, size_t n)`.
typedef PoolFreeBatchNative<T extends NativeType> = Int32 Function(Pointer<Pool>, Pointer<Pointer<T>>, Size);
/// Dart form of [PoolFreeBatchNative].
typedef PoolFreeBatchFn<T extends NativeType> = int Function(Pointer<Pool>, Pointer<Pointer<T>>, int);
/// `p2f_status T_pool_create_status(size_t initial_capacity, size_t max_slots, uint32_t flags,
/// p2f_pool **out)`.
typedef PoolCreateStatusNative = Int32 Function(Size, Size, Uint32, Pointer<Pointer<Pool>>);
/// Dart form of [PoolCreateStatusNative].
typedef PoolCreateStatusFn = int Function(int, int, int, Pointer<Pointer<Pool>>);
/// `T *T_pool_alloc_status(p2f_pool *pool, p2f_status *status)`.
typedef PoolAllocStatusNative<T extends NativeType> = Pointer<T> Function(Pointer<Pool>, Pointer<Int32>);
/// Dart form of [PoolAllocStatusNative].
typedef PoolAllocStatusFn<T extends NativeType> = Pointer<T> Function(Pointer<Pool>, Pointer<Int32>);
/// `void T_pool_destroy(p2f_pool *pool)`; also the finalizer of [MessagePool].
typedef PoolDestroyNative = Void Function(Pointer<Pool>);
/// Dart form of [PoolDestroyNative].
typedef PoolDestroyFn = void Function(Pointer<Pool>);
/// `p2f_status T_decode(T *msg, const uint8_t *buf, size_t len)`.
typedef DecodeNative<T extends NativeType> = Int32 Function(Pointer<T>, Pointer<Uint8>, Size);
/// Dart form of [DecodeNative].
typedef DecodeFn<T extends NativeType> = int Function(Pointer<T>, Pointer<Uint8>, int);
/// `p2f_status T_encode(const T *msg, uint8_t *buf, size_t cap, size_t *written)`.
typedef EncodeNative<T extends NativeType> = Int32 Function(Pointer<T>, Pointer<Uint8>, Size, Pointer<Size>);
/// Dart form of [EncodeNative].
typedef EncodeFn<T extends NativeType> = int Function(Pointer<T>, Pointer<Uint8>, int, Pointer<Size>);
/// `size_t T_encoded_size(const T *msg)`.
typedef EncodedSizeNative<T extends NativeType> = Size Function(Pointer<T>);
/// Dart form of [EncodedSizeNative].
typedef EncodedSizeFn<T extends NativeType> = int Function(Pointer<T>);

/// `T_decode` called with the bytes of a Dart [Uint8List] in place: a generated closure
/// passes `bytes.address` (dart:ffi, Dart 3.5) straight to a leaf `@Native` binding of
/// `T_decode`, the only call `.address` may be an argument of. No copy is made.
typedef DecodeTypedDataFn<T extends NativeType> = int Function(Pointer<T>, Uint8List);
/// `T_decode` of an out-of-line tree, called like [DecodeTypedDataFn] with an arena.
typedef DecodeArenaTypedDataFn<T extends NativeType> = int Function(Pointer<T>, Uint8List, Pointer<NativeArena>);
/// The struct view of a message at an address (`p.ref`), made in generated code where the
/// message type is known: dart:ffi requires `.ref`'s type argument to be a compile-time
/// constant, so the generic handles (`PoolMessage`, ...) cannot make it themselves.
typedef ViewFn<T extends Struct> = T Function(Pointer<T>);

/// Inputs up to this many bytes are decoded in place by a leaf call when the bindings have
/// one ([MessageFunctions.decodeTypedData]); longer ones are copied into native memory and
/// decoded by the non-leaf call, since a leaf call holds up the garbage collector of every
/// isolate of the group while it runs and decoding takes time in proportion to the input.
const int defaultLeafDecodeLimit = 4096;

/// The C `p2f_arena` (proto2ffi/arena.h): opaque, only handled through pointers. The Dart
/// owner of one is [MessageArena].
final class NativeArena extends Opaque {}

/// `p2f_decode_options` (proto2ffi/codec.h): 16 bytes on every 64-bit ABI.
final class DecodeOptions extends Struct {
  /// The arena of the out-of-line data.
  external Pointer<NativeArena> arena;

  /// [DecodeFlags].
  @Uint32()
  external int flags;

  /// Nesting limit; 0 for the runtime's default.
  @Uint32()
  external int maxDepth;
}

/// `P2F_DECODE_*` flags of [DecodeOptions.flags].
abstract final class DecodeFlags {
  /// Out-of-line strings and bytes point into the input buffer instead of being copied into
  /// the arena: the buffer must then outlive the message ([ArenaMessage] keeps it).
  static const int alias = 1;

  /// The message is set by `T_init` first, so every byte of the struct is defined.
  static const int zeroFill = 2;
}

/// `p2f_arena *p2f_arena_new(void *first_block, size_t first_block_size, size_t limit)`.
typedef ArenaNewNative = Pointer<NativeArena> Function(Pointer<Void>, Size, Size);
/// Dart form of [ArenaNewNative].
typedef ArenaNewFn = Pointer<NativeArena> Function(Pointer<Void>, int, int);
/// `void p2f_arena_destroy(p2f_arena *arena)`, `void p2f_arena_reset(p2f_arena *arena)`.
typedef ArenaVoidNative = Void Function(Pointer<NativeArena>);
/// Dart form of [ArenaVoidNative].
typedef ArenaVoidFn = void Function(Pointer<NativeArena>);
/// `void *p2f_arena_alloc_aligned(p2f_arena *arena, size_t size, size_t align)`.
typedef ArenaAllocNative = Pointer<Void> Function(Pointer<NativeArena>, Size, Size);
/// Dart form of [ArenaAllocNative].
typedef ArenaAllocFn = Pointer<Void> Function(Pointer<NativeArena>, int, int);
/// `void *p2f_arena_realloc(p2f_arena *arena, void *ptr, size_t old_size, size_t new_size,
/// size_t align)`.
typedef ArenaReallocNative = Pointer<Void> Function(Pointer<NativeArena>, Pointer<Void>, Size, Size, Size);
/// Dart form of [ArenaReallocNative].
typedef ArenaReallocFn = Pointer<Void> Function(Pointer<NativeArena>, Pointer<Void>, int, int, int);
/// `p2f_status p2f_arena_last_error(const p2f_arena *arena)`.
typedef ArenaLastErrorNative = Int32 Function(Pointer<NativeArena>);
/// Dart form of [ArenaLastErrorNative].
typedef ArenaLastErrorFn = int Function(Pointer<NativeArena>);
/// `p2f_status T_decode(T *msg, const uint8_t *buf, size_t len, p2f_arena *arena)`: the
/// decode of a message whose tree has out-of-line fields.
typedef DecodeArenaNative<T extends NativeType> = Int32 Function(Pointer<T>, Pointer<Uint8>, Size, Pointer<NativeArena>);
/// Dart form of [DecodeArenaNative].
typedef DecodeArenaFn<T extends NativeType> = int Function(Pointer<T>, Pointer<Uint8>, int, Pointer<NativeArena>);
/// `p2f_status T_decode_ex(T *msg, const uint8_t *buf, size_t len, const p2f_decode_options *opts)`.
typedef DecodeExNative<T extends NativeType> = Int32 Function(Pointer<T>, Pointer<Uint8>, Size, Pointer<DecodeOptions>);
/// Dart form of [DecodeExNative].
typedef DecodeExFn<T extends NativeType> = int Function(Pointer<T>, Pointer<Uint8>, int, Pointer<DecodeOptions>);
/// `p2f_status T_copy(T *dst, const T *src, p2f_arena *arena)`: a deep copy into [arena].
typedef CopyNative<T extends NativeType> = Int32 Function(Pointer<T>, Pointer<T>, Pointer<NativeArena>);
/// Dart form of [CopyNative].
typedef CopyFn<T extends NativeType> = int Function(Pointer<T>, Pointer<T>, Pointer<NativeArena>);

/// The arena functions of the runtime (proto2ffi/arena.h), bound by the generated bindings
/// of a file with out-of-line fields from the same native library as the messages.
final class ArenaFunctions {
  /// The table; every function is required.
  const ArenaFunctions({
    required this.create,
    required this.destroy,
    required this.destroyPointer,
    required this.allocAligned,
    required this.realloc,
    required this.reset,
    required this.lastError,
  });

  /// `p2f_arena_new`: NULL on failure.
  final ArenaNewFn create;

  /// `p2f_arena_destroy`.
  final ArenaVoidFn destroy;

  /// The address of `p2f_arena_destroy`, for the [NativeFinalizer] of [MessageArena].
  final Pointer<NativeFunction<ArenaVoidNative>> destroyPointer;

  /// `p2f_arena_alloc_aligned`.
  final ArenaAllocFn allocAligned;

  /// `p2f_arena_realloc`.
  final ArenaReallocFn realloc;

  /// `p2f_arena_reset`.
  final ArenaVoidFn reset;

  /// `p2f_arena_last_error`.
  final ArenaLastErrorFn lastError;
}

/// The native functions of one message type [T], as the generated bindings class binds
/// them (from a `DynamicLibrary`, or from `@Native` declarations).
final class MessageFunctions<T extends Struct> {
  /// A table for the message [name]; every function is required except the two that
  /// report a pool status ([poolCreateStatus], [poolAllocStatus]).
  const MessageFunctions({
    required this.name,
    required this.maxEncodedSize,
    required this.size,
    required this.align,
    required this.layoutFingerprint,
    required this.init,
    required this.poolCreate,
    required this.poolCreateEx,
    required this.poolAlloc,
    required this.poolFree,
    required this.poolAllocBatch,
    required this.poolFreeBatch,
    required this.poolDestroy,
    required this.poolDestroyPointer,
    this.decode,
    required this.encode,
    required this.encodedSize,
    this.poolSize = 64,
    this.poolMax = 0,
    this.decodeArena,
    this.decodeEx,
    this.copy,
    this.arenaFunctions,
    this.poolCreateStatus,
    this.poolAllocStatus,
    this.poolAllocNonLeaf,
    this.poolFreeNonLeaf,
    this.view,
    this.decodeTypedData,
    this.decodeArenaTypedData,
  });

  /// The message's full protobuf name: `social.Post`.
  final String name;

  /// The most bytes an encoded value takes (`T_MAX_ENCODED_SIZE`); 0 for a message whose
  /// tree has out-of-line fields, which have no bound.
  final int maxEncodedSize;

  /// The initial capacity of the schema's pool (`T_POOL_SIZE`, option pool_size; 64 when
  /// the schema gives none): [MessagePool]'s default `initialCapacity`.
  final int poolSize;

  /// The most messages the schema's pool holds (`T_POOL_MAX`, option pool_max; 0: no
  /// limit): [MessagePool]'s default `maxSlots`.
  final int poolMax;
  /// Whether the message's tree has out-of-line fields: decoding it takes an arena
  /// ([decodeArena], [ArenaMessage]), and [decode] is null.
  bool get outOfLine => decodeArena != null;

  /// `T_size`.
  final SizeFn size;

  /// `T_align`.
  final SizeFn align;

  /// `T_layout_fingerprint`.
  final LayoutFingerprintFn layoutFingerprint;

  /// `T_init`.
  final InitFn<T> init;

  /// `T_pool_create`.
  final PoolCreateFn poolCreate;

  /// `T_pool_create_ex`.
  final PoolCreateExFn poolCreateEx;

  /// `T_pool_alloc`.
  final PoolAllocFn<T> poolAlloc;

  /// `T_pool_free`.
  final PoolFreeFn<T> poolFree;

  /// `T_pool_alloc` bound as a non-leaf call (the generated bindings bind both forms). A
  /// thread-safe pool may wait for its lock or another thread's chunk in alloc and free, and
  /// a leaf call holds up the isolate group's garbage collector while it waits, so
  /// [MessagePool] uses these two for a pool created with [PoolFlags.threadSafe]; null means
  /// the leaf forms.
  final PoolAllocFn<T>? poolAllocNonLeaf;

  /// `T_pool_free` bound as a non-leaf call; see [poolAllocNonLeaf].
  final PoolFreeFn<T>? poolFreeNonLeaf;

  /// `T_pool_alloc_batch`.
  final PoolAllocBatchFn<T> poolAllocBatch;

  /// `T_pool_free_batch`.
  final PoolFreeBatchFn<T> poolFreeBatch;

  /// `T_pool_destroy`.
  final PoolDestroyFn poolDestroy;

  /// The address of `T_pool_destroy`, for a [NativeFinalizer].
  final Pointer<NativeFunction<PoolDestroyNative>> poolDestroyPointer;

  /// `T_decode` of a message without out-of-line fields; null for the others, whose
  /// `T_decode` takes an arena ([decodeArena]).
  final DecodeFn<T>? decode;

  /// `T_decode` of a message whose tree has out-of-line fields (an arena argument).
  final DecodeArenaFn<T>? decodeArena;

  /// `T_decode_ex` (out-of-line trees): decode options with an arena and [DecodeFlags].
  final DecodeExFn<T>? decodeEx;

  /// `T_copy` (out-of-line trees): a deep copy whose out-of-line data is in an arena.
  final CopyFn<T>? copy;

  /// The runtime's arena functions, bound from the same library (out-of-line trees).
  final ArenaFunctions? arenaFunctions;

  /// `(p) => p.ref` for this message type, from the generated bindings: what
  /// `PoolMessage.use`, `StandaloneMessage.use` and `ArenaMessage.use` pass to their
  /// callback. Null in bindings generated before it existed; `use` then throws.
  final ViewFn<T>? view;

  /// `T_decode` as a leaf `@Native` call on the bytes of a [Uint8List] in place (only the
  /// bindings of `native()` have it: a `DynamicLibrary` lookup cannot take `.address`).
  /// `MessageCodec.decodeInto` uses it for inputs up to its leaf limit.
  final DecodeTypedDataFn<T>? decodeTypedData;

  /// The same for the arena decode of an out-of-line tree ([decodeArena]).
  final DecodeArenaTypedDataFn<T>? decodeArenaTypedData;

  /// `T_encode`.
  final EncodeFn<T> encode;

  /// `T_encoded_size`.
  final EncodedSizeFn<T> encodedSize;

  /// `T_pool_create_status`, when the native library has it: [MessagePool] then reports
  /// the status of a failed create instead of deducing it.
  final PoolCreateStatusFn? poolCreateStatus;

  /// `T_pool_alloc_status`, when the native library has it: [MessagePool.alloc] then
  /// reports the status of a failed allocation instead of deducing it.
  final PoolAllocStatusFn<T>? poolAllocStatus;
}

/// The Dart layout of a message differs from the native library's.
final class LayoutException implements Exception {
  /// [message] (a full protobuf name) has [what] [dartValue] in Dart and [nativeValue] in
  /// the native library.
  LayoutException(this.message, this.what, this.dartValue, this.nativeValue);

  /// `social.Post`.
  final String message;

  /// `sizeOf (size)`, `generated size`, `alignment` or `layout fingerprint`.
  final String what;

  /// The value on the Dart side.
  final int dartValue;

  /// The value the native library reports.
  final int nativeValue;

  @override
  String toString() => 'LayoutException: $message: $what is ${_show(dartValue)} in Dart but '
      '${_show(nativeValue)} in the native library (regenerate the Dart and C code from the same '
      '.proto and options)';

  String _show(int v) => what == 'layout fingerprint' ? '0x${v.toUnsigned(64).toRadixString(16).padLeft(16, '0')}' : '$v';
}

/// Compares one message's layout with the native library's: [dartSize] (`sizeOf<T>()`) and
/// [generatedSize] (the size the Dart code was generated for) with `T_size()`,
/// [generatedAlign] with `T_align()`, and [generatedFingerprint] with
/// `T_layout_fingerprint()`. dart:ffi has no alignment query, so the alignment checked on the
/// Dart side is the generated one. The fingerprint covers what the size cannot: two
/// capacities that round to the same struct size (a string of at most 4 or 7 bytes next to an
/// int64 is 24 bytes either way) differ in it. Throws [LayoutException] at the first
/// difference.
void checkLayout<T extends Struct>(
    MessageFunctions<T> fns, int dartSize, int generatedSize, int generatedAlign, int generatedFingerprint) {
  final nativeSize = fns.size();
  if (dartSize != nativeSize) {
    throw LayoutException(fns.name, 'sizeOf (size)', dartSize, nativeSize);
  }
  if (generatedSize != nativeSize) {
    throw LayoutException(fns.name, 'generated size', generatedSize, nativeSize);
  }
  final nativeAlign = fns.align();
  if (generatedAlign != nativeAlign) {
    throw LayoutException(fns.name, 'alignment', generatedAlign, nativeAlign);
  }
  final nativeFingerprint = fns.layoutFingerprint();
  if (generatedFingerprint != nativeFingerprint) {
    throw LayoutException(fns.name, 'layout fingerprint', generatedFingerprint, nativeFingerprint);
  }
}
