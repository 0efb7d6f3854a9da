# macOS build of the social_ffi FFI plugin: CocoaPods compiles Classes/social_ffi.c, which
# includes the generated C and the runtime, into social_ffi.framework when the app's Podfile
# has use_frameworks! (Flutter's default). Dart opens it with
#   SocialBindings.open('social_ffi')
# as lib/social_ffi.dart does: p2f.openLibrary tries social_ffi.framework/social_ffi first,
# then falls back to DynamicLibrary.process() for a pod linked statically into the app
# (docs/dart.md says what that needs). The name passed is this pod's s.name.
Pod::Spec.new do |s|
  s.name             = 'social_ffi'
  s.version          = '0.1.0'
  s.summary          = 'social.proto as native structs for Dart (proto2ffi example).'
  s.homepage         = 'https://example.invalid/proto2ffi'
  s.license          = { :type => 'MIT' }
  s.author           = { 'proto2ffi' => 'proto2ffi@example.invalid' }
  s.source           = { :path => '.' }
  s.source_files     = 'Classes/**/*'
  s.dependency 'FlutterMacOS'
  s.platform         = :osx, '10.14'
  s.pod_target_xcconfig = {
    'DEFINES_MODULE' => 'YES',
    'GCC_C_LANGUAGE_STANDARD' => 'c11',
    'HEADER_SEARCH_PATHS' => '"$(PODS_TARGET_SRCROOT)/../src/generated" "$(PODS_TARGET_SRCROOT)/../../../runtime/include" "$(PODS_TARGET_SRCROOT)/../../../runtime/src"',
  }
end
