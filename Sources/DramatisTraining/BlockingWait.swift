import DramatisBackends
import Foundation

extension SupervisedProcess {
    /// Waits for the child to exit on a thread of its own (never blocking the cooperative pool, which has
    /// only 2 threads here); a cancelled task terminates the child. Returns the wait status.
    func exitStatus() async -> Int32 {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
                Thread.detachNewThread { continuation.resume(returning: self.waitForExit(milliseconds: -1) ?? -1) }
            }
        } onCancel: {
            self.terminate()
        }
    }
}
