// Run with `flutter test` after tool/generate.sh and a native build that put libsocial_ffi
// where the platform's loader finds it (for example LD_LIBRARY_PATH on Linux).
// NOT EXECUTED where proto2ffi is built: no Dart or Flutter SDK is available there.
import 'dart:typed_data';

import 'package:flutter_test/flutter_test.dart';
import 'package:social_ffi/social_ffi.dart';

void main() {
  test('the layouts match the native library', () {
    social.checkLayout();
  });

  test('encode, decode, read and write in place', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    final post = PoolMessage<Post>(pool);
    post.use((p) {
      p
        ..postId = 42
        ..content = 'hello, wörld'
        ..likeCount = 7
        ..postType = PostType.postTypeImage;
    });
    final bytes = post.encode();
    final again = PoolMessage<Post>.decode(pool, bytes);
    expect(again.use((p) => (p.postId, p.content, p.postType)), (42, 'hello, wörld', PostType.postTypeImage));
    final bumped = PoolMessage<Post>.decode(pool, addLike(bytes, pool));
    expect(bumped.use((p) => p.likeCount), 8);
  });

  test('a released message is unusable', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    final post = PoolMessage<Post>(pool)..release();
    expect(() => post.use((p) => p.postId), throwsStateError);
  });

  test('DynamicLibrary bindings decode from a native copy', () {
    expect(social.postCodec.decodesInPlace(16), isFalse);
  });

  test('a string past its capacity throws', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    final post = PoolMessage<Post>(pool);
    expect(() => post.use((p) => p.content = 'x' * (Post.CONTENT_MAX_LENGTH + 1)),
        throwsA(isA<CapacityException>()));
  });

  test('truncated input is a StatusException named ERR_TRUNCATED', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    expect(() => PoolMessage<Post>.decode(pool, Uint8List.fromList([0x08])),
        throwsA(isA<StatusException>().having((e) => e.name, 'name', 'ERR_TRUNCATED')));
  });
}
