import 'package:proto2ffi/proto2ffi.dart';
import 'package:test/test.dart';

void main() {
  late List<int> storage;
  late int count;
  FixedList<int> view() =>
      FixedList<int>('test.M.ids', 3, () => count, (n) => count = n, (i) => storage[i], (i, v) => storage[i] = v);

  setUp(() {
    storage = [0, 0, 0];
    count = 0;
  });

  test('add grows the count up to the capacity', () {
    final l = view();
    l.add(7);
    l.add(8);
    expect(count, 2);
    expect(l, [7, 8]);
    l.add(9);
    expect(() => l.add(10), throwsA(isA<CapacityException>()));
    expect(count, 3);
  });

  test('indexing is bounded by the count, not the capacity', () {
    final l = view()..add(1);
    expect(() => l[1], throwsRangeError);
    l[0] = 5;
    expect(storage[0], 5);
  });

  test('clear and length', () {
    final l = view()..addAll([1, 2, 3]);
    l.clear();
    expect(l, isEmpty);
    l.length = 2;
    expect(l.length, 2);
    expect(() => l.length = 4, throwsA(isA<CapacityException>()));
  });

  test('a corrupt count never reads past the array', () {
    count = 1000;
    expect(view().length, 3);
  });

  test('struct elements have no setter', () {
    final l = FixedList<int>('test.M.subs', 2, () => count, (n) => count = n, (i) => storage[i], null);
    expect(() => l.add(1), throwsUnsupportedError);
  });
}
