#define _GNU_SOURCE
#include "CDramatisSystem.h"
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int dramatis_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }

const char *dramatis_codeset(void) { return nl_langinfo(CODESET); }

int dramatis_ensure_utf8_ctype(void) {
    setlocale(LC_CTYPE, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) setlocale(LC_CTYPE, "C.UTF-8");
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

struct dramatis_child {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pid_t pid;
    int started;       // fork has happened (pid valid or spawn_errno set)
    int spawn_errno;
    int exited;
    int wait_status;
    const char *path;
    char *const *argv;
    int input_fd;
    int output_fd;
    int error_fd;
    int niceness;
    pid_t parent_pid;
};

// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the
// process. Swift's and Dispatch's pool threads come and go, so we fork from a thread
// of our own that then blocks in waitpid for exactly the child's lifetime.
static void *dramatis_child_thread(void *arg) {
    struct dramatis_child *c = arg;
    pid_t pid = fork();
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != c->parent_pid) _exit(127);  // parent already gone
        // Ignored signals stay ignored across exec; the parent may ignore SIGINT/SIGTERM
        // (the TUI handles them as keys), so restore defaults and unblock everything.
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; sig++) {
            if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, NULL);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (c->niceness > 0) setpriority(PRIO_PROCESS, 0, c->niceness);
        if (c->input_fd >= 0) {
            dup2(c->input_fd, 0);
        } else {
            int devnull = open("/dev/null", O_RDONLY);
            if (devnull >= 0) { dup2(devnull, 0); }
        }
        if (c->output_fd >= 0) dup2(c->output_fd, 1);
        if (c->error_fd >= 0) dup2(c->error_fd, 2);
        for (int fd = 3; fd < 1024; fd++) close(fd);
        execv(c->path, c->argv);
        _exit(127);
    }
    pthread_mutex_lock(&c->lock);
    c->started = 1;
    if (pid < 0) {
        c->spawn_errno = errno;
        c->exited = 1;
        pthread_cond_broadcast(&c->changed);
        pthread_mutex_unlock(&c->lock);
        return NULL;
    }
    c->pid = pid;
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);

    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    pthread_mutex_lock(&c->lock);
    c->exited = 1;
    c->wait_status = status;
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

dramatis_child *dramatis_spawn_supervised(const char *path, char *const argv[], int output_fd, int *error_number) {
    return dramatis_spawn_supervised_io(path, argv, -1, output_fd, output_fd, 0, error_number);
}

dramatis_child *dramatis_spawn_supervised_io(const char *path, char *const argv[], int input_fd, int output_fd,
                                             int error_fd, int niceness, int *error_number) {
    struct dramatis_child *c = calloc(1, sizeof *c);
    if (!c) { if (error_number) *error_number = ENOMEM; return NULL; }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->changed, NULL);
    c->path = path; c->argv = argv; c->parent_pid = getpid();
    c->input_fd = input_fd; c->output_fd = output_fd; c->error_fd = error_fd; c->niceness = niceness;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&thread, &attr, dramatis_child_thread, c);
    pthread_attr_destroy(&attr);
    if (rc != 0) { if (error_number) *error_number = rc; free(c); return NULL; }
    pthread_mutex_lock(&c->lock);
    while (!c->started) pthread_cond_wait(&c->changed, &c->lock);
    int failed = c->spawn_errno;
    pthread_mutex_unlock(&c->lock);
    if (failed) { if (error_number) *error_number = failed; free(c); return NULL; }
    return c;
}

pid_t dramatis_child_pid(const dramatis_child *child) { return child->pid; }

int dramatis_child_wait(dramatis_child *c, int timeout_ms, int *wait_status) {
    pthread_mutex_lock(&c->lock);
    if (timeout_ms < 0) {
        while (!c->exited) pthread_cond_wait(&c->changed, &c->lock);
    } else if (!c->exited) {
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
        while (!c->exited) {
            if (pthread_cond_timedwait(&c->changed, &c->lock, &deadline) == ETIMEDOUT) break;
        }
    }
    int done = c->exited;
    if (done && wait_status) *wait_status = c->wait_status;
    pthread_mutex_unlock(&c->lock);
    return done;
}

void dramatis_child_release(dramatis_child *c) {
    if (!c) return;
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->changed);
    free(c);
}

int dramatis_limit_malloc_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

int dramatis_release_free_memory(void) {
    return malloc_trim(0);
}
