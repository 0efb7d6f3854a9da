/* Minimal test assertions for the C tests: CHECK records a failure and goes on, and
 * CHECK_REPORT() prints "N passed, M failed" and gives main's exit status. */
#ifndef P2F_TESTS_CHECK_H_
#define P2F_TESTS_CHECK_H_

#include <stdio.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                \
  do {                                                                             \
    check_count++;                                                                 \
    if (!(cond)) {                                                                 \
      check_failures++;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);     \
    }                                                                              \
  } while (0)

#define CHECK_REPORT()                                                             \
  (printf("%d passed, %d failed\n", check_count - check_failures, check_failures), \
   (check_failures != 0 || check_count == 0))

#endif /* P2F_TESTS_CHECK_H_ */
