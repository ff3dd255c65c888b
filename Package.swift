// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Dramatis",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dramatis", targets: ["dramatis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C helpers that Swift cannot express: wcwidth (hidden by glibc without
        // _XOPEN_SOURCE) and fork+prctl(PR_SET_PDEATHSIG) for the local engine.
        .target(name: "CDramatisSystem"),
        // ncursesw, wide-character API; see Sources/CNcursesw/shim.h for why a shim.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),

        // Pure domain: personas, conversations, transcripts, recorder, exporters,
        // validator, tokenizer, text sanitizing. No curses, no HTTP.
        .target(name: "DramatisCore", dependencies: [
            "CDramatisSystem",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Backends behind one streaming protocol (OpenAI-compatible, Azure, local engine).
        .target(name: "DramatisBackends", dependencies: [
            "DramatisCore", "CDramatisSystem",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // Fine-tuning the local model: the Python trainer worker behind TrainingWorker, the venv, run folders,
        // the held-out evaluation on the engine. Knows nothing of curses.
        .target(name: "DramatisTraining", dependencies: ["DramatisCore", "DramatisBackends"]),
        // Elm-style TUI: state + event -> state + effects, render(state, size) -> grid. Pure.
        .target(name: "DramatisTUI", dependencies: ["DramatisCore"]),
        // Runs the TUI's effects (recorder, backends, streams, $EDITOR) and feeds events back. No curses.
        .target(name: "DramatisRuntime", dependencies: ["DramatisTUI", "DramatisCore", "CDramatisSystem"]),
        // The one thin adapter that touches ncurses, from one thread: the screen and the loop.
        .target(name: "DramatisTerminal", dependencies: ["DramatisRuntime", "DramatisTUI", "DramatisCore", "CNcursesw", "CDramatisSystem"]),
        // Thin CLI that wires the layers together.
        .executableTarget(name: "dramatis", dependencies: [
            "DramatisCore", "DramatisBackends", "DramatisTraining", "DramatisTUI", "DramatisRuntime", "DramatisTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Fuzzing (scripts/fuzz.sh, `make fuzz`): pure entries that feed bytes to the real parsers and check
        // invariants; two libFuzzer executables: fuzz-core (the six DramatisCore targets, picked by
        // DRAMATIS_FUZZ_TARGET) and fuzz-sse (which needs SwiftNIO). The executables also build without fuzzer
        // flags (then they replay input files), so `swift build --build-tests` keeps building everything.
        .target(name: "DramatisFuzzTargets", dependencies: ["DramatisCore"]),
        .target(name: "DramatisBackendsFuzzTargets", dependencies: ["DramatisFuzzTargets", "DramatisBackends"]),
        .executableTarget(name: "fuzz-sse", dependencies: ["DramatisBackendsFuzzTargets", "DramatisFuzzTargets"], path: "Fuzz/Drivers/fuzz-sse"),
        .executableTarget(name: "fuzz-core", dependencies: ["DramatisFuzzTargets"], path: "Fuzz/Drivers/fuzz-core"),

        // Shared test helpers: temp dirs, the loopback fault injector, the local model fixture, tmux driver.
        .target(name: "DramatisTestSupport", dependencies: [
            "DramatisCore", "DramatisBackends",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Tests/DramatisTestSupport"),
        .testTarget(name: "DramatisCoreTests", dependencies: ["DramatisCore", "DramatisTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DramatisBackendsTests", dependencies: ["DramatisBackends", "DramatisCore", "DramatisTestSupport"]),
        .testTarget(name: "DramatisTUITests", dependencies: ["DramatisTUI", "DramatisRuntime", "DramatisCore", "DramatisTestSupport"],
                    resources: [.copy("__Snapshots__")]),
        // Replays every seed corpus file and every committed crash input through the fuzz targets.
        .testTarget(name: "DramatisFuzzRegressionTests", dependencies: ["DramatisFuzzTargets", "DramatisBackendsFuzzTargets"]),
        .testTarget(name: "DramatisEndToEndTests", dependencies: ["DramatisCore", "DramatisBackends", "DramatisTestSupport"]),
        // Real training (small): run in a round of its own by `make test` (TRAINING_SUITES), never next to the
        // real-model or tmux suites, which the trainer's CPU load would slow past their timeouts.
        .testTarget(name: "DramatisTrainingTests", dependencies: ["DramatisTraining", "DramatisCore", "DramatisBackends", "DramatisTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
