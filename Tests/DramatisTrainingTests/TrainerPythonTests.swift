import DramatisTestSupport
import DramatisTraining
import Foundation
import Testing

/// The worker's own Python unit tests (the loss-mask builder among them), run with the trainer's venv python.
extension RealTraining {
@Suite struct TrainerPythonTests {
    @Test func theWorkersUnitTestsPass() async throws {
        let trainer = BuiltProducts.packageRoot.appendingPathComponent("Trainer", isDirectory: true)
        let environment = try await TrainerEnvironment.prepare(trainerDirectory: trainer)
        let result = try await ProcessRunner.run(environment.python, ["-m", "unittest", "discover", "-s", trainer.appendingPathComponent("tests").path, "-v"],
                                                 currentDirectory: BuiltProducts.packageRoot, timeout: 600)
        #expect(result.status == 0, "\(result.stderr.suffix(4000))")
        #expect(result.stderr.contains("OK"), "\(result.stderr.suffix(2000))")
        #expect(!result.stderr.contains("Ran 0 tests"), "the worker's tests were found")
    }
}
}
