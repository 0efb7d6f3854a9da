# A deliberately wrong podspec comment for tests/dart/check_open_calls.py: the call names
# another library than the pod, passes an unknown argument, and openLibrary lacks its name.
#   SocialBindings.open('social', staticOnApple: true)
#   p2f.openLibrary()
Pod::Spec.new do |s|
  s.name             = 'social_ffi'
end
