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
    final post = pool.alloc();
    post.ref
      ..postId = 42
      ..content = 'hello, wörld'
      ..likeCount = 7
      ..postType = PostType.postTypeImage;
    final bytes = social.postCodec.encode(post);
    final again = pool.decode(bytes);
    expect(again.ref.postId, 42);
    expect(again.ref.content, 'hello, wörld');
    expect(again.ref.postType, PostType.postTypeImage);
    final bumped = pool.decode(addLike(bytes, pool));
    expect(bumped.ref.likeCount, 8);
  });

  test('a string past its capacity throws', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    final post = pool.alloc();
    expect(() => post.ref.content = 'x' * (Post.CONTENT_MAX_LENGTH + 1), throwsA(isA<CapacityException>()));
  });

  test('truncated input is a StatusException named ERR_TRUNCATED', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    expect(() => pool.decode(Uint8List.fromList([0x08])),
        throwsA(isA<StatusException>().having((e) => e.name, 'name', 'ERR_TRUNCATED')));
  });
}
