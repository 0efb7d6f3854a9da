import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

void main() {
  test('library file names per platform', () {
    expect(libraryFileName('social_ffi', operatingSystem: 'linux'), 'libsocial_ffi.so');
    expect(libraryFileName('social_ffi', operatingSystem: 'android'), 'libsocial_ffi.so');
    expect(libraryFileName('social_ffi', operatingSystem: 'macos'), 'libsocial_ffi.dylib');
    expect(libraryFileName('social_ffi', operatingSystem: 'windows'), 'social_ffi.dll');
  });

  test('what openLibrary tries, in order', () {
    expect(libraryCandidates('social_ffi', operatingSystem: 'ios'), ['social_ffi.framework/social_ffi']);
    expect(libraryCandidates('social_ffi', operatingSystem: 'macos'),
        ['social_ffi.framework/social_ffi', 'libsocial_ffi.dylib']);
    expect(libraryCandidates('social_ffi', operatingSystem: 'android'), ['libsocial_ffi.so']);
    expect(libraryCandidates('social_ffi', operatingSystem: 'linux'), ['libsocial_ffi.so']);
    expect(libraryCandidates('social_ffi', operatingSystem: 'windows'), ['social_ffi.dll']);
  });

  test('a missing library is an ArgumentError naming it', () {
    expect(() => openLibrary('no_such_library_p2f', path: '/nonexistent/libno_such_library_p2f.so'),
        throwsArgumentError);
  });

  test('off Apple platforms, a library no candidate opens is an ArgumentError', () {
    expect(() => openLibrary('no_such_library_p2f'), throwsArgumentError);
  }, testOn: '!mac-os && !ios');
}
