import CNcursesw

/// Version information of the linked ncurses library (for `dramatis doctor`).
public enum CursesVersion {
    /// e.g. "ncurses 6.4.20221231".
    public static var string: String {
        guard let version = curses_version() else { return "unknown" }
        return String(cString: version)
    }
}
