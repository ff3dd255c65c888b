#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawn` attributes that give the child an empty signal mask and default signal actions.
///
/// Swift concurrency and Dispatch threads run with most signals blocked, and a spawned child
/// inherits the spawning thread's mask: a tmux server started that way never sees SIGCHLD
/// (its pane never reads as dead) and ignores SIGTERM. Every test spawn uses these attributes.
enum SpawnAttributes {
    /// Calls `body` with initialised attributes and destroys them afterwards.
    static func withCleanSignals<T>(_ body: (UnsafePointer<posix_spawnattr_t>) throws -> T) rethrows -> T {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return try body(&attributes)
    }
}
