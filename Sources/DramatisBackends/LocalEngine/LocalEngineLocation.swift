import DramatisCore
import Foundation

/// Where the embedded engine and its model are: from `DRAMATIS_LLAMA_SERVER` / `DRAMATIS_MODEL`, else the set-up cache.
public struct LocalEngineLocation: Sendable, Hashable {
    public var serverBinary: URL
    public var model: URL

    public init(serverBinary: URL, model: URL) {
        self.serverBinary = serverBinary
        self.model = model
    }

    /// Resolves the paths (environment first, then the cache `scripts/setup.sh` fills) without checking them.
    public static func resolve(paths: AppPaths, environment: [String: String]) -> LocalEngineLocation {
        func override(_ name: String) -> URL? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return URL(fileURLWithPath: value)
        }
        return LocalEngineLocation(serverBinary: override("DRAMATIS_LLAMA_SERVER") ?? paths.engineBinary,
                                   model: override("DRAMATIS_MODEL") ?? paths.modelFile)
    }

    /// Throws a `.localEngine` error naming what is missing and how to get it.
    public func validate() throws {
        let files = FileManager.default
        guard files.isExecutableFile(atPath: serverBinary.path) else {
            throw BackendError.localEngine("local engine not found at \(serverBinary.path): run `make setup` (or set DRAMATIS_LLAMA_SERVER)")
        }
        guard files.fileExists(atPath: model.path) else {
            throw BackendError.localEngine("local model not found at \(model.path): run `make setup` (or set DRAMATIS_MODEL)")
        }
    }
}
