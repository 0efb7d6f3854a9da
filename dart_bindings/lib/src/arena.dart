/// Arenas for out-of-line message data, native input buffers, and messages that own both.
///
/// A field without a capacity is stored out of line (docs/layout.md): the struct holds a
/// pointer and a length or count, and the data lives in a `p2f_arena` or, after an aliasing
/// decode, in the input buffer. The generated getters read through those pointers without
/// copying; the generated `setX(arena, value)` calls copy into a [MessageArena]. Whatever
/// a message points into must outlive it, which [ArenaMessage] arranges: it holds the
/// message, its arena and, for an aliasing decode, the input buffer, and frees them together.
library;

import 'dart:convert';
import 'dart:ffi';
import 'dart:typed_data';

import 'package:ffi/ffi.dart' show malloc;

import 'functions.dart';
import 'message.dart' show scopedResult, viewOf;
import 'pool.dart' show MessageCodec;
import 'status.dart';
import 'text.dart' show CapacityException;

/// ERR_OUT_OF_MEMORY of [statusCodes].
final int _errOutOfMemory = statusCodes.firstWhere((c) => c.name == 'ERR_OUT_OF_MEMORY').value;

/// The largest length an out-of-line string, bytes or array stores (`uint32_t` in C).
const int maxOutOfLineLength = 0xffffffff;

/// A native `p2f_arena` (`p2f_arena_new`), freed by [dispose] or by a [NativeFinalizer]
/// once this object is unreachable.
///
/// Every pointer the arena handed out (a string a setter copied, a grown array, a message
/// it holds) is valid until [reset] or [dispose], and invalid afterwards. Keep the arena
/// reachable while messages point into it: an [ArenaMessage] does, and since this class is
/// [Finalizable], so does a local variable until the end of its scope.
///
/// One arena serves one thread at a time (proto2ffi/arena.h).
final class MessageArena implements Finalizable {
  /// A new arena with no first block; [limit] bounds its memory in bytes (0: no limit).
  /// Throws [StatusException] (ERR_OUT_OF_MEMORY) when the native arena cannot be made.
  MessageArena(this.fns, {int limit = 0})
      : _arena = fns.create(nullptr, 0, RangeError.checkNotNegative(limit, 'limit')) {
    // p2f_arena_new returns NULL only when it cannot allocate the arena struct.
    if (_arena == nullptr) throw StatusException(_errOutOfMemory, 'p2f_arena_new');
    _finalizer(fns).attach(this, _arena.cast(), detach: this);
  }

  /// The runtime's arena functions.
  final ArenaFunctions fns;

  Pointer<NativeArena> _arena;

  // Objects whose native memory messages of this arena refer to (set by reference).
  final List<Object> _retained = <Object>[];

  static final Map<int, NativeFinalizer> _finalizers = {};
  static NativeFinalizer _finalizer(ArenaFunctions fns) =>
      _finalizers.putIfAbsent(fns.destroyPointer.address, () => NativeFinalizer(fns.destroyPointer.cast()));

  /// The native arena. Throws [StateError] after [dispose].
  Pointer<NativeArena> get pointer {
    if (_arena == nullptr) throw StateError('arena used after dispose()');
    return _arena;
  }

  /// Whether [dispose] has run.
  bool get isDisposed => _arena == nullptr;

  /// [size] bytes aligned to [align] (a power of two), contents unspecified. Throws
  /// [StatusException] with the arena's status (ERR_ARENA_LIMIT, ERR_OUT_OF_MEMORY).
  Pointer<Void> allocate(int size, {int align = 8}) {
    RangeError.checkNotNegative(size, 'size');
    final arena = pointer;
    final p = fns.allocAligned(arena, size, align);
    if (p == nullptr) throw StatusException(fns.lastError(arena), 'p2f_arena_alloc_aligned($size, $align)');
    return p;
  }

  /// A copy of [value] as UTF-8 followed by a NUL (for C), and its length in bytes; the empty
  /// string is (nullptr, 0), as the decoder stores it. [field] names the field in a
  /// [CapacityException] for text longer than [maxOutOfLineLength] bytes.
  (Pointer<Uint8>, int) copyString(String value, [String field = 'string']) {
    final bytes = utf8.encode(value);
    if (bytes.isEmpty) return (nullptr, 0);
    if (bytes.length > maxOutOfLineLength) {
      throw CapacityException(field, bytes.length, maxOutOfLineLength, 'bytes of UTF-8');
    }
    final p = allocate(bytes.length + 1, align: 1).cast<Uint8>();
    p.asTypedList(bytes.length + 1)
      ..setAll(0, bytes)
      ..[bytes.length] = 0;
    return (p, bytes.length);
  }

  /// A copy of [value] (elements modulo 256) and its length; empty is (nullptr, 0).
  (Pointer<Uint8>, int) copyBytes(List<int> value, [String field = 'bytes']) {
    if (value.isEmpty) return (nullptr, 0);
    if (value.length > maxOutOfLineLength) throw CapacityException(field, value.length, maxOutOfLineLength, 'bytes');
    final p = allocate(value.length, align: 1).cast<Uint8>();
    final view = p.asTypedList(value.length);
    if (value is Uint8List) {
      view.setAll(0, value);
    } else {
      for (var i = 0; i < value.length; i++) {
        view[i] = value[i] & 0xff;
      }
    }
    return (p, value.length);
  }

  /// Room for at least [count] + 1 elements of [elementSize] bytes for an out-of-line
  /// repeated field whose array is [data] with room for [capacity] elements (its `x_cap`
  /// member; 0 when the array is not this arena's, as after a set by reference). Returns the
  /// array, which may have moved (with the first [count] elements kept), and its new
  /// capacity: double the old one, at least 4.
  (Pointer<Void>, int) grow(Pointer<Void> data, int count, int capacity, int elementSize, int align) {
    final want = count < 2 ? 4 : count * 2;
    if (want > maxOutOfLineLength) throw CapacityException('repeated field', count + 1, maxOutOfLineLength, 'elements');
    final arena = pointer;
    if (capacity == 0 || data == nullptr) {
      final p = allocate(want * elementSize, align: align);
      if (count > 0) {
        p.cast<Uint8>().asTypedList(count * elementSize).setAll(0, data.cast<Uint8>().asTypedList(count * elementSize));
      }
      return (p, want);
    }
    final p = fns.realloc(arena, data, capacity * elementSize, want * elementSize, align);
    if (p == nullptr) throw StatusException(fns.lastError(arena), 'p2f_arena_realloc');
    return (p, want);
  }

  /// Keeps [owner] reachable as long as this arena is not reset or disposed: for native
  /// memory a message refers to without copying (a [NativeBuffer] set by reference).
  void retain(Object owner) {
    if (_arena == nullptr) throw StateError('arena used after dispose()');
    _retained.add(owner);
  }

  /// Drops every allocation at once (`p2f_arena_reset`): every message whose out-of-line data
  /// lives here must be initialised again or dropped.
  void reset() {
    fns.reset(pointer);
    _retained.clear();
  }

  /// Frees the arena now. Idempotent.
  void dispose() {
    if (_arena == nullptr) return;
    _finalizer(fns).detach(this);
    fns.destroy(_arena);
    _arena = nullptr;
    _retained.clear();
  }
}

/// [length] bytes of native memory (malloc), freed by [dispose] or a [NativeFinalizer].
///
/// Dart heap memory can move, so native code can only keep pointing at bytes that live
/// outside it: an aliasing decode reads from one of these, and the decoded message refers
/// into it. Fill it from Dart through [bytes], or pass
/// the buffer's [pointer] to native code that fills it.
final class NativeBuffer implements Finalizable {
  /// A buffer of [length] uninitialised bytes.
  NativeBuffer(this.length) : _data = malloc<Uint8>(RangeError.checkNotNegative(length, 'length') == 0 ? 1 : length) {
    _freeFinalizer.attach(this, _data.cast(), detach: this, externalSize: length);
  }

  /// A native copy of [source]: the one copy an aliasing decode of Dart bytes needs.
  factory NativeBuffer.fromList(List<int> source) {
    final buffer = NativeBuffer(source.length);
    buffer.bytes.setAll(0, source);
    return buffer;
  }

  static final NativeFinalizer _freeFinalizer = NativeFinalizer(malloc.nativeFree);

  Pointer<Uint8> _data;

  /// The size in bytes.
  final int length;

  /// The first byte. Throws [StateError] after [dispose].
  Pointer<Uint8> get pointer {
    if (_data == nullptr) throw StateError('NativeBuffer used after dispose()');
    return _data;
  }

  /// A view of the bytes, without copying; valid until [dispose].
  Uint8List get bytes => pointer.asTypedList(length);

  /// Frees the memory now. Idempotent.
  void dispose() {
    if (_data == nullptr) return;
    _freeFinalizer.detach(this);
    malloc.free(_data);
    _data = nullptr;
  }
}

/// A message of type [T] together with everything it points into: its [arena] (which also
/// holds the struct itself) and, after an aliasing decode, its [input] buffer. Holding this
/// object keeps all of it alive; once it is unreachable, the finalizers of the arena and the
/// buffer free them.
///
/// Read and write the message in the scope of [use] (`msg.use((t) => t.label)`,
/// `msg.use((t) => t.setLabel(msg.arena, 'x'))`): a struct view holds only the address and
/// does not keep this object alive, so it must not outlive the call. [unsafePointer] gives
/// the address without a scope, for code that keeps this object reachable itself.
final class ArenaMessage<T extends Struct> implements Finalizable {
  ArenaMessage._(this.fns, this.arena, this._pointer, this.input);

  /// A new message initialised by `T_init`, in a new arena (or [arena], shared with other
  /// messages).
  factory ArenaMessage(MessageFunctions<T> fns, {MessageArena? arena}) {
    final a = arena ?? MessageArena(_arenaFunctions(fns));
    final msg = a.allocate(fns.size(), align: fns.align()).cast<T>();
    fns.init(msg);
    return ArenaMessage<T>._(fns, a, msg, null);
  }

  /// Decodes [bytes], copying every out-of-line value into the arena: the bytes are read in
  /// place or copied once into native memory for the call ([MessageCodec.decodeInto]) and
  /// not kept. Throws [StatusException] with the decoder's status.
  factory ArenaMessage.decode(MessageFunctions<T> fns, Uint8List bytes, {MessageArena? arena}) {
    final msg = ArenaMessage<T>(fns, arena: arena);
    MessageCodec<T>(fns).decodeInto(msg._pointer, bytes, arena: msg.arena);
    return msg;
  }

  /// Decodes [input] with [DecodeFlags.alias]: out-of-line strings and bytes point into
  /// [input] instead of being copied, and the message keeps [input] alive. No byte of the
  /// input is copied; native code may fill [input] directly.
  factory ArenaMessage.decodeAliased(MessageFunctions<T> fns, NativeBuffer input, {MessageArena? arena}) {
    final decodeEx = fns.decodeEx;
    if (decodeEx == null) throw ArgumentError('${fns.name} has no out-of-line fields: decode it into a pool');
    final a = arena ?? MessageArena(_arenaFunctions(fns));
    final msg = a.allocate(fns.size(), align: fns.align()).cast<T>();
    final opts = malloc<DecodeOptions>();
    try {
      opts.ref
        ..arena = a.pointer
        ..flags = DecodeFlags.alias
        ..maxDepth = 0;
      checkStatus(decodeEx(msg, input.pointer, input.length, opts), '${fns.name} decode (aliased)');
    } finally {
      malloc.free(opts);
    }
    a.retain(input); // also when the arena is shared: its messages may point into input
    return ArenaMessage<T>._(fns, a, msg, input);
  }

  /// The message's native functions.
  final MessageFunctions<T> fns;

  /// The arena of the message's out-of-line data; pass it to the generated setters.
  final MessageArena arena;

  final Pointer<T> _pointer;

  /// The message's address, without a scope: valid only while this object stays reachable
  /// (keep it in a variable or field while the address or a view made from it is used) and
  /// until the arena's [MessageArena.reset] or [MessageArena.dispose]. Throws [StateError]
  /// once the arena is disposed. Prefer [use] and [usePointer].
  Pointer<T> get unsafePointer {
    if (arena.isDisposed) throw StateError('${fns.name} message used after its arena was disposed');
    return _pointer;
  }

  /// The message's address; renamed [unsafePointer].
  @Deprecated('use use() or usePointer(), or unsafePointer where the message is kept reachable')
  Pointer<T> get pointer => unsafePointer;

  /// Calls [body] with the struct view of the message and returns its result. This object
  /// is alive for the whole call; the view must not be kept after it. Throws [StateError]
  /// once the arena is disposed, and [ArgumentError] when [body] returns a [Future] or a
  /// view of native memory (`PoolMessage.use` lists them).
  R use<R>(R Function(T message) body) => scopedResult(body(viewOf(fns, unsafePointer)), fns.name);

  /// Calls [body] with the message's address (for `addNewX`, `mutableX(arena, fns)`, ...),
  /// under the same rules as [use].
  R usePointer<R>(R Function(Pointer<T> message) body) => scopedResult(body(unsafePointer), fns.name);

  /// The buffer an aliasing decode read, which the message points into; null otherwise.
  final NativeBuffer? input;

  /// A deep copy in a new arena (`T_copy`): it owns all of its data, so it does not need
  /// [input] or [arena].
  ArenaMessage<T> clone({MessageArena? arena}) {
    final copy = fns.copy;
    if (copy == null) throw ArgumentError('${fns.name} has no T_copy');
    final a = arena ?? MessageArena(this.arena.fns);
    final dst = a.allocate(fns.size(), align: fns.align()).cast<T>();
    checkStatus(copy(dst, unsafePointer, a.pointer), '${fns.name} copy');
    return ArenaMessage<T>._(fns, a, dst, null);
  }

  /// The canonical protobuf encoding, as a new Dart-owned [Uint8List].
  Uint8List encode() => MessageCodec<T>(fns).encode(unsafePointer);

  /// Encodes into [out] and returns the number of bytes written; throws [StatusException]
  /// (ERR_BUFFER_TOO_SMALL) when [out] is too short.
  int encodeInto(Uint8List out) => MessageCodec<T>(fns).encodeInto(unsafePointer, out);

  static ArenaFunctions _arenaFunctions<S extends Struct>(MessageFunctions<S> fns) {
    final a = fns.arenaFunctions;
    if (a == null) throw ArgumentError('${fns.name}: these bindings have no arena functions (no out-of-line fields)');
    return a;
  }
}
