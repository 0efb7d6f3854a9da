// Deliberately wrong calls for tests/dart/check_open_calls.py.
final a = SocialBindings.open();
final b = SocialBindings.open('other_lib', path: '/tmp/libother_lib.so');
final c = SocialBindings.open('social_ffi', path: null);
