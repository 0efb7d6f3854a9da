# macOS build of the social_ffi FFI plugin: CocoaPods compiles Classes/social_ffi.c, which
# includes the generated C and the runtime, into the app; Dart finds the symbols in the
# process (open it with staticOnApple: true).
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
