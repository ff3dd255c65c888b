import CDramatisSystem

/// The TUI's use of glibc's allocator: one arena, and freed memory handed back after big transient work.
///
/// Measured with a 10,000-message (5.6 MB) transcript: the listing and the opening decode it on
/// different cooperative-pool threads, and glibc gave each thread its own arena, so memory freed
/// in one was never reused by the other. Peak RSS was 71 MB; with one arena and a trim after each
/// load it stays under 60 MB (`bench/tui.sh`). The TUI allocates little concurrently, so one arena costs
/// no measurable speed (frame benchmark, same script).
public enum ProcessMemory {
    /// Caps malloc at one arena; call before other threads allocate (first thing in `dramatis chat`).
    public static func useOneArena() {
        _ = dramatis_limit_malloc_arenas(1)
    }

    /// Gives memory freed inside the arena back to the kernel (after a transcript was listed or loaded).
    public static func releaseFreedMemory() {
        _ = dramatis_release_free_memory()
    }
}
