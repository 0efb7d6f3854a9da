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
    final post = pool.alloc();
    post.ref
      ..postId = 42
      ..content = 'hello, wörld';
    final bytes = MessageCodec<Post>(social.postFunctions).encode(post);
    final again = pool.decode(bytes);
    expect(again.ref.postId, 42);
    expect(again.ref.content, 'hello, wörld');
  });

  test('truncated input is a StatusException named ERR_TRUNCATED', () {
    final pool = MessagePool<Post>(social.postFunctions);
    addTearDown(pool.dispose);
    expect(() => pool.decode(Uint8List.fromList([0x08])),
        throwsA(isA<StatusException>().having((e) => e.name, 'name', 'ERR_TRUNCATED')));
  });
}
