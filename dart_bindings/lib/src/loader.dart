/// Opening the native library that holds the generated C code and the runtime.
library;

import 'dart:ffi';
import 'dart:io' show Platform;

/// The file name a native library called [name] has on the current platform:
/// `lib<name>.so` (Linux, Android), `lib<name>.dylib` (macOS), `<name>.dll` (Windows).
/// On iOS (and macOS apps that link the code statically) there is no file: see
/// [openLibrary].
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

/// Opens the native library [name].
///
/// - [path] given: that file, as is.
/// - iOS: the process itself (`DynamicLibrary.process()`): a Flutter FFI plugin links its
///   native code into the app there; the same applies to macOS when [name] is linked
///   statically ([staticOnApple]).
/// - otherwise: [libraryFileName] of [name], found the way the platform's loader finds
///   libraries (next to the executable on Windows, in the APK's lib directory on Android,
///   LD_LIBRARY_PATH and the system paths on Linux).
DynamicLibrary openLibrary(String name, {String? path, bool staticOnApple = false}) {
  if (path != null) return DynamicLibrary.open(path);
  if (Platform.isIOS || (Platform.isMacOS && staticOnApple)) return DynamicLibrary.process();
  if (Platform.isMacOS) {
    // A Flutter macOS plugin ships a framework named after the library.
    try {
      return DynamicLibrary.open('$name.framework/$name');
    } on ArgumentError {
      return DynamicLibrary.open(libraryFileName(name));
    }
  }
  return DynamicLibrary.open(libraryFileName(name));
}
