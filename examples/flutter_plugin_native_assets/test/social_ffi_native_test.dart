// Run with `dart test` after tool/generate.sh: the build hook compiles and bundles the
// native library. NOT EXECUTED where proto2ffi is built: no Dart SDK is available there.
import 'dart:typed_data';

import 'package:social_ffi_native/social_ffi_native.dart';
import 'package:test/test.dart';

void main() {
  test('the layouts match the native asset', () {
    social.checkLayout();
  });

  test('encode and decode through the @Native bindings', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    final post = PoolMessage<Post>(pool);
    post.use((p) {
      p
        ..postId = 42
        ..content = 'hello, wörld';
    });
    final bytes = post.encode();
    final again = PoolMessage<Post>.decode(pool, bytes);
    expect(again.use((p) => (p.postId, p.content)), (42, 'hello, wörld'));
  });

  test('short inputs are decoded in place, long ones from a native copy', () {
    final codec = MessageCodec<Post>(social.postFunctions);
    expect(codec.decodesInPlace(defaultLeafDecodeLimit), isTrue);
    expect(codec.decodesInPlace(defaultLeafDecodeLimit + 1), isFalse);
    // Both paths decode the same message.
    final msg = StandaloneMessage<Post>(social.postFunctions);
    msg.use((p) => p.content = 'x' * 4500);
    final long = msg.encode();
    expect(long.length, greaterThan(defaultLeafDecodeLimit));
    final viaCopy = StandaloneMessage<Post>.decode(social.postFunctions, long);
    expect(viaCopy.use((p) => p.content.length), 4500);
    msg.use((p) => p.content = 'short');
    final viaLeaf = StandaloneMessage<Post>.decode(social.postFunctions, msg.encode());
    expect(viaLeaf.use((p) => p.content), 'short');
  });

  test('truncated input is a StatusException named ERR_TRUNCATED', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    expect(() => PoolMessage<Post>.decode(pool, Uint8List.fromList([0x08])),
        throwsA(isA<StatusException>().having((e) => e.name, 'name', 'ERR_TRUNCATED')));
  });
}
