/// The social.proto schema as native structs: the generated dart:ffi classes (Post,
/// UserProfile, ...), their bindings, and a ready [social] instance.
///
/// ```dart
/// import 'package:social_ffi/social_ffi.dart';
///
/// final pool = MessagePool<Post>(social.postFunctions);
/// final post = PoolMessage<Post>.decode(pool, bytesFromTheNetwork); // decoded in C
/// post.use((p) {                                 // p: the Post struct, in place
///   print('${p.content} (${p.likeCount} likes)');
///   p.likeCount += 1;
/// });
/// final out = post.encode();                     // Uint8List
/// post.release();
/// ```
library;

import 'dart:typed_data';

import 'package:proto2ffi/proto2ffi.dart' as p2f;

import 'src/generated/social.ffi.dart';

export 'package:proto2ffi/proto2ffi.dart'
    show
        CapacityException,
        FixedList,
        LayoutException,
        MessageCodec,
        MessagePool,
        PoolMessage,
        StandaloneMessage,
        StatusException;
export 'src/generated/social.ffi.dart';

/// The bindings of libsocial_ffi (built and bundled by the platform folders of this
/// plugin), opened on first use. Opening checks the layout of every message against the
/// native library and throws [p2f.LayoutException] on a difference.
final SocialBindings social = SocialBindings.open('social_ffi');

/// Codecs of the messages this example uses.
extension SocialCodecs on SocialBindings {
  /// The wire codec of social.Post.
  p2f.MessageCodec<Post> get postCodec => p2f.MessageCodec<Post>(postFunctions);
}

/// Decodes a social.Post, adds one like and returns the new encoding: decode in C straight
/// into a pooled struct, read and write fields in place from Dart, encode in C. The handle
/// keeps [pool] reachable while the view is used, and the slot goes back to the pool at the
/// end, also when decoding throws a [p2f.StatusException].
Uint8List addLike(Uint8List postBytes, p2f.MessagePool<Post> pool) {
  final post = p2f.PoolMessage<Post>.decode(pool, postBytes);
  try {
    post.use((p) {
      p.likeCount += 1;
      if (p.content.isEmpty) p.content = '(no text)';
    });
    return post.encode();
  } finally {
    post.release();
  }
}
