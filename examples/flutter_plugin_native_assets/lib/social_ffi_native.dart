/// The social.proto schema as native structs, bundled as a native asset: the generated
/// dart:ffi classes (Post, UserProfile, ...), and a ready [social] bound to the `@Native`
/// declarations that hook/build.dart provides the library for. Every generated library
/// names the code asset `package:social_ffi_native/social_ffi_native` in its
/// `@DefaultAsset` (tool/generate.sh passes it as `dart_asset`), the id the hook registers.
///
/// ```dart
/// import 'package:social_ffi_native/social_ffi_native.dart';
///
/// final pool = MessagePool<Post>(social.postFunctions);
/// final post = PoolMessage<Post>.decode(pool, bytesFromTheNetwork); // no copy up to 4 KiB
/// post.use((p) => p.likeCount += 1);
/// final out = post.encode();
/// post.release();
/// ```
library;

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
        StatusException,
        defaultLeafDecodeLimit;
export 'src/generated/social.ffi.dart';

/// The bindings of the native asset, created on first use. Creating them checks the layout
/// of every message against the native library and throws [p2f.LayoutException] on a
/// difference.
final SocialBindings social = SocialBindings.native();
