#ifndef DRAMATIS_CSYSTEM_H
#define DRAMATIS_CSYSTEM_H
#include <stddef.h>
#include <sys/types.h>
#include <wchar.h>

/// Display width of one Unicode scalar per the current locale (glibc wcwidth).
/// Swift's Glibc module hides wcwidth without _XOPEN_SOURCE, hence this wrapper.
int dramatis_wcwidth(unsigned int scalar);

/// Makes LC_CTYPE a UTF-8 locale: the environment's if it is UTF-8, else C.UTF-8.
/// Returns 1 when the resulting codeset is UTF-8.
int dramatis_ensure_utf8_ctype(void);

/// Name of the current LC_CTYPE codeset (nl_langinfo(CODESET)).
const char *dramatis_codeset(void);

/// A child process started so that it cannot outlive us.
typedef struct dramatis_child dramatis_child;

/// Starts `path` with `argv` (NULL-terminated); stdin is /dev/null, stdout and stderr
/// go to `output_fd`. The child gets PR_SET_PDEATHSIG=SIGKILL, so it is killed when
/// this process dies, even by SIGKILL. Returns NULL and sets *error_number on failure.
dramatis_child *dramatis_spawn_supervised(const char *path, char *const argv[], int output_fd, int *error_number);

/// Like dramatis_spawn_supervised, with each standard stream chosen: stdin from `input_fd` (negative:
/// /dev/null), stdout to `output_fd`, stderr to `error_fd` (negative: inherited). `niceness` > 0 lowers the
/// child's CPU priority (setpriority) before exec, so a background trainer yields to the chat's engine.
dramatis_child *dramatis_spawn_supervised_io(const char *path, char *const argv[], int input_fd, int output_fd,
                                             int error_fd, int niceness, int *error_number);

/// The child's process id.
pid_t dramatis_child_pid(const dramatis_child *child);

/// Waits up to timeout_ms (negative: forever) for the child to exit. Returns 1 and
/// sets *wait_status (as from waitpid) when it has exited, 0 on timeout.
int dramatis_child_wait(dramatis_child *child, int timeout_ms, int *wait_status);

/// Frees the handle once the child has exited (dramatis_child_wait returned 1).
void dramatis_child_release(dramatis_child *child);

/// Caps glibc's malloc arenas at `count` (mallopt M_ARENA_MAX). Returns 1 on success.
/// Swift's Glibc module does not include <malloc.h>, hence this wrapper.
int dramatis_limit_malloc_arenas(int count);

/// Returns memory freed inside malloc's arenas to the kernel (malloc_trim(0)). Returns 1 if some was released.
int dramatis_release_free_memory(void);
#endif
