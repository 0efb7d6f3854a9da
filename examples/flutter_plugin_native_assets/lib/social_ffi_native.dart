/// The social.proto schema as native structs, bundled as a native asset: the generated
/// dart:ffi classes (Post, UserProfile, ...), and a ready [social] bound to the `@Native`
/// declarations that hook/build.dart provides the library for.
///
/// ```dart
/// import 'package:social_ffi_native/social_ffi_native.dart';
///
/// final pool = MessagePool<Post>(social.postFunctions);
/// final post = pool.decode(bytesFromTheNetwork); // Pointer<Post>, decoded in C
/// post.ref.likeCount += 1;
/// final out = MessageCodec<Post>(social.postFunctions).encode(post);
/// pool.free(post);
/// ```
library;

import 'package:proto2ffi/proto2ffi.dart' as p2f;

import 'src/generated/social.ffi.dart';

export 'package:proto2ffi/proto2ffi.dart'
    show CapacityException, FixedList, LayoutException, MessageCodec, MessagePool, StatusException;
export 'src/generated/social.ffi.dart';

/// The bindings of the native asset, created on first use. Creating them checks the layout
/// of every message against the native library and throws [p2f.LayoutException] on a
/// difference.
final SocialBindings social = SocialBindings.native();
