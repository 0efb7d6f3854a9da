// Build hook of social_ffi_native (`dart run`, `dart test`, `flutter run`; build hooks are
// stable from Dart 3.10 / Flutter 3.38): compiles the generated C code of social.proto and
// the proto2ffi runtime into one dynamic library and registers it as the code asset
// package:social_ffi_native/social_ffi_native, the @DefaultAsset of every generated Dart
// library, so that their @Native declarations (SocialBindings.native()) resolve to it.
//
// NOT EXECUTED: no Dart SDK is available where this repository is built and tested. The
// same sources and flags, as a CMake project, are built and checked by the test
// dart.flutter_plugin.native_build (tests/dart/flutter_plugin_build.sh).
import 'dart:io';

import 'package:code_assets/code_assets.dart';
import 'package:hooks/hooks.dart';
import 'package:native_toolchain_c/native_toolchain_c.dart';

/// The targets (OS, architecture names of package:code_assets) whose struct layout the
/// generated headers' static asserts are checked for in the proto2ffi repository
/// (tests/packaging/cross_targets.txt). Android x86 (ia32) is not one: the i386 psABI aligns
/// int64_t and double members to 4 bytes, and the generated headers do not compile there.
const _verifiedTargets = {
  'android': {'arm', 'arm64', 'x64'},
  'ios': {'arm64', 'x64'},
  'linux': {'arm64', 'x64'},
  'macos': {'arm64', 'x64'},
  'windows': {'arm64', 'x64'},
};

void main(List<String> args) async {
  await build(args, (input, output) async {
    if (!input.config.buildCodeAssets) return;
    final os = input.config.code.targetOS.name;
    final arch = input.config.code.targetArchitecture.name;
    if (!(_verifiedTargets[os]?.contains(arch) ?? false)) {
      throw UnsupportedError('social_ffi_native: the generated struct layout is not verified for '
          '$os $arch (supported: $_verifiedTargets)');
    }
    final root = input.packageRoot;
    // The runtime: vendored under src/proto2ffi/ in a published plugin; in the proto2ffi
    // repository the example uses the tree's own copy.
    final vendored = Directory.fromUri(root.resolve('src/proto2ffi/runtime/'));
    final runtime = vendored.existsSync() ? vendored.uri : root.resolve('../../runtime/');
    final runtimeSources = Directory.fromUri(runtime.resolve('src/'))
        .listSync()
        .whereType<File>()
        .where((f) => f.path.endsWith('.c'))
        .map((f) => f.path)
        .toList()
      ..sort();
    final targetOS = input.config.code.targetOS;
    final builder = CBuilder.library(
      // Not social_ffi, the library of the ffiPlugin example: an app may depend on both.
      name: 'social_ffi_native',
      // The asset id is package:social_ffi_native/social_ffi_native, the @DefaultAsset of every
      // generated library (tool/generate.sh passes it as dart_asset).
      assetName: 'social_ffi_native',
      sources: [
        root.resolve('src/generated/social.ffi.c').toFilePath(),
        ...runtimeSources,
      ],
      includes: [
        root.resolve('src/generated/').toFilePath(),
        runtime.resolve('include/').toFilePath(),
        runtime.resolve('src/').toFilePath(),
      ],
      defines: {
        // Export the generated functions from the DLL on Windows.
        if (targetOS == OS.windows) 'P2F_BUILD_DLL': null,
      },
      flags: [
        if (targetOS != OS.windows) '-fvisibility=hidden',
        // 16 KB page devices (Android 15+).
        if (targetOS == OS.android) '-Wl,-z,max-page-size=16384',
      ],
      std: 'c11',
    );
    await builder.run(input: input, output: output);
  });
}
