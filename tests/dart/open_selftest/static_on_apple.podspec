# A deliberately wrong podspec comment for tests/dart/check_open_calls.py: it suggests no
# open() call, only an argument open() does not take (open it with staticOnApple: true).
Pod::Spec.new do |s|
  s.name             = 'social_ffi'
end
