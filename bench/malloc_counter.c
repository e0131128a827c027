/* Counts a process's heap allocations, for comparing allocations per request
 * between windowguard and bench/reference_server (docs/performance.md).
 * Build and use:
 *   gcc -O2 -shared -fPIC -o /tmp/malloc_counter.so bench/malloc_counter.c
 *   LD_PRELOAD=/tmp/malloc_counter.so SERVER ... 2>counts &
 *   kill -USR2 PID   (before and after a load run: each prints one line to stderr)
 * The line gives the calls to malloc, calloc and realloc so far, the bytes
 * they asked for, and how many asked for < 1 KiB, < 16 KiB, < 64 KiB, more. */
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);

static atomic_long calls, bytes, by_size[4];

static void count(size_t size) {
  atomic_fetch_add(&calls, 1);
  atomic_fetch_add(&bytes, (long)size);
  atomic_fetch_add(&by_size[size < 1024 ? 0 : size < 16384 ? 1 : size < 65536 ? 2 : 3], 1);
}

void *malloc(size_t size) {
  count(size);
  return __libc_malloc(size);
}

void *calloc(size_t count_of, size_t size) {
  count(count_of * size);
  return __libc_calloc(count_of, size);
}

void *realloc(void *pointer, size_t size) {
  count(size);
  return __libc_realloc(pointer, size);
}

static void report(int signal_number) {
  (void)signal_number;
  char line[160];
  const int length =
      snprintf(line, sizeof line, "allocations=%ld bytes=%ld under1k=%ld under16k=%ld under64k=%ld larger=%ld\n",
               atomic_load(&calls), atomic_load(&bytes), atomic_load(&by_size[0]), atomic_load(&by_size[1]),
               atomic_load(&by_size[2]), atomic_load(&by_size[3]));
  if (length > 0) {
    (void)write(STDERR_FILENO, line, (size_t)length);
  }
}

__attribute__((constructor)) static void install(void) { signal(SIGUSR2, report); }
