/// A screen that can hand the terminal to another program for a while (the external editor).
public protocol ScreenSuspending {
    /// Runs `body` with the screen suspended, then restores it.
    func suspended<T>(_ body: () -> T) -> T
}
