/* The scalar dispatch level of the column kernels: batch_kernels.inc compiled with the
 * compiler's vectoriser off (runtime/CMakeLists.txt), the code every CPU runs. */
#define KVEC 0
#define KLEVEL scalar
#define KATTR
#define KTABLE p2f__batch_ops_scalar
#include "batch_level.inc"
