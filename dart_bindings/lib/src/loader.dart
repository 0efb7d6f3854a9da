/// Opening the native library that holds the generated C code and the runtime.
library;

import 'dart:ffi';
import 'dart:io' show Platform;

/// The file name a native library called [name] has on the current platform, or on
/// [operatingSystem] (a value of `Platform.operatingSystem`): `lib<name>.so` (Linux,
/// Android), `lib<name>.dylib` (macOS, iOS), `<name>.dll` (Windows). A Flutter plugin on iOS
/// and macOS ships a framework instead: see [libraryCandidates].
String libraryFileName(String name, {String? operatingSystem}) {
  final os = operatingSystem ?? Platform.operatingSystem;
  switch (os) {
    case 'windows':
      return '$name.dll';
    case 'macos':
    case 'ios':
      return 'lib$name.dylib';
    default:
      return 'lib$name.so';
  }
}

/// What [openLibrary] passes to `DynamicLibrary.open` for [name], in order, on the current
/// platform or on [operatingSystem]:
///
/// - iOS: `<name>.framework/<name>`, the framework CocoaPods builds for a Flutter plugin pod
///   named [name] when the app's Podfile has `use_frameworks!` (Flutter's default);
/// - macOS: the same framework, then `lib<name>.dylib` (a library found through the dyld
///   search paths, as `dart run` or `dart test` use it);
/// - Linux, Android and others: `lib<name>.so`; Windows: `<name>.dll`.
List<String> libraryCandidates(String name, {String? operatingSystem}) {
  final os = operatingSystem ?? Platform.operatingSystem;
  switch (os) {
    case 'ios':
      return ['$name.framework/$name'];
    case 'macos':
      return ['$name.framework/$name', libraryFileName(name, operatingSystem: os)];
    default:
      return [libraryFileName(name, operatingSystem: os)];
  }
}

/// Opens the native library [name]: the file [path] when given, otherwise the first of
/// [libraryCandidates] that the platform's loader opens (it searches next to the executable
/// on Windows, in the APK's native library directory on Android, LD_LIBRARY_PATH and the
/// system paths on Linux).
///
/// On iOS and macOS, when no candidate opens, the result is `DynamicLibrary.process()`: the
/// plugin's code was linked into the app itself, which CocoaPods does when the Podfile has
/// no `use_frameworks!` or has `use_frameworks! :linkage => :static`. Symbols are then found
/// only if the app's executable still has them: Xcode strips the symbols of an app's
/// executable in release builds unless its Strip Style is Non-Global Symbols, and the linker
/// leaves out code that nothing in the app references. The bindings report a missing symbol
/// with an [ArgumentError] when they look it up. The framework does not have this problem,
/// which is why it is tried first.
///
/// Elsewhere, a library that no candidate opens is an [ArgumentError] from
/// `DynamicLibrary.open`, naming the file.
DynamicLibrary openLibrary(String name, {String? path}) {
  if (path != null) return DynamicLibrary.open(path);
  final candidates = libraryCandidates(name);
  final apple = Platform.isIOS || Platform.isMacOS;
  for (var i = 0; i < candidates.length; i++) {
    if (i == candidates.length - 1 && !apple) return DynamicLibrary.open(candidates[i]);
    try {
      return DynamicLibrary.open(candidates[i]);
    } on ArgumentError {
      // the next candidate, or the process on iOS and macOS
    }
  }
  return DynamicLibrary.process();
}
