/* For generator.calls.selftest only: a file that main.c calls (it defines gen_arena_new, as
 * arena.c does) and that calls main back, so that check_calls.py must report the cycle
 * calls_cycle <-> main. Never linked. */
#include <stddef.h>

int main(int argc, char **argv);
void *gen_arena_new(void);

void *gen_arena_new(void) { return main(0, NULL) ? NULL : NULL; }
