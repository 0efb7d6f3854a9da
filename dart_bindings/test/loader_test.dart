import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

void main() {
  test('library file names per platform', () {
    expect(libraryFileName('social_ffi', operatingSystem: 'linux'), 'libsocial_ffi.so');
    expect(libraryFileName('social_ffi', operatingSystem: 'android'), 'libsocial_ffi.so');
    expect(libraryFileName('social_ffi', operatingSystem: 'macos'), 'libsocial_ffi.dylib');
    expect(libraryFileName('social_ffi', operatingSystem: 'windows'), 'social_ffi.dll');
  });

  test('a missing library is an ArgumentError naming it', () {
    expect(() => openLibrary('no_such_library_p2f', path: '/nonexistent/libno_such_library_p2f.so'),
        throwsArgumentError);
  });
}
