import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

void main() {
  test('the table starts with OK and has unique values and names', () {
    expect(statusCodes.first.value, 0);
    expect(statusCodes.first.name, 'OK');
    expect(statusCodes.map((c) => c.value).toSet().length, statusCodes.length);
    expect(statusCodes.map((c) => c.name).toSet().length, statusCodes.length);
    expect(statusCodes.skip(1).every((c) => c.value < 0 && c.name.startsWith('ERR_')), isTrue);
  });

  test('a StatusException names the status', () {
    final e = StatusException(-10, 'social_Post_decode');
    expect(e.name, 'ERR_TRUNCATED');
    expect(e.toString(), contains('social_Post_decode'));
    expect(e.toString(), contains('ERR_TRUNCATED (-10)'));
    expect(StatusException(-999, 'x').name, 'UNKNOWN');
  });

  test('checkStatus throws for errors only', () {
    checkStatus(0, 'ok');
    expect(() => checkStatus(-30, 'encode'),
        throwsA(isA<StatusException>().having((e) => e.name, 'name', 'ERR_BUFFER_TOO_SMALL')));
  });
}
