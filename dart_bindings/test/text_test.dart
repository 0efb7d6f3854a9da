import 'dart:ffi';
import 'dart:typed_data';

import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

/// The C shape of a string of capacity 8 and bytes of capacity 4, as the generator emits it.
final class Sample extends Struct {
  @Uint32()
  external int textLen;
  @Array(9)
  external Array<Uint8> text;
  @Array(3)
  // Padding, never read: as in generated files, which ignore unused_field file-wide.
  // ignore: unused_field
  external Array<Uint8> _pad13;
  @Uint32()
  external int blobLen;
  @Array(4)
  external Array<Uint8> blob;
}

void main() {
  test('sizeOf matches the C layout', () {
    expect(sizeOf<Sample>(), 24);
  });

  test('UTF-8 round trip with the NUL after the text', () {
    final s = Struct.create<Sample>();
    s.textLen = writeString(s.text, 8, 'héllo', 'test.Sample.text');
    expect(s.textLen, 6); // é is two bytes
    expect(s.text[6], 0);
    expect(readString(s.text, s.textLen, 8), 'héllo');
  });

  test('a string past the capacity throws and leaves the field unchanged', () {
    final s = Struct.create<Sample>();
    s.textLen = writeString(s.text, 8, 'abc', 'test.Sample.text');
    expect(() => writeString(s.text, 8, '€€€', 'test.Sample.text'), // 9 bytes
        throwsA(isA<CapacityException>()
            .having((e) => e.field, 'field', 'test.Sample.text')
            .having((e) => e.length, 'length', 9)));
    expect(readString(s.text, s.textLen, 8), 'abc');
  });

  test('exactly the capacity fits', () {
    final s = Struct.create<Sample>();
    s.textLen = writeString(s.text, 8, '12345678', 'test.Sample.text');
    expect(readString(s.text, s.textLen, 8), '12345678');
    expect(s.text[8], 0);
  });

  test('a corrupt length is clamped to the capacity', () {
    final s = Struct.create<Sample>();
    expect(readString(s.text, 1000, 8).length, 8);
    expect(readBytes(s.blob, -1, 4), isEmpty);
  });

  test('bytes copy in and out', () {
    final s = Struct.create<Sample>();
    s.blobLen = writeBytes(s.blob, 4, [1, 2, 255, 256], 'test.Sample.blob');
    expect(readBytes(s.blob, s.blobLen, 4), Uint8List.fromList([1, 2, 255, 0]));
    expect(() => writeBytes(s.blob, 4, [1, 2, 3, 4, 5], 'test.Sample.blob'), throwsA(isA<CapacityException>()));
  });
}
