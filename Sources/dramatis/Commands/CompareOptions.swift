import ArgumentParser
import DramatisBackends
import DramatisCore
import DramatisTUI
import Foundation

/// The `--compare…` options shared by `dramatis chat` and `dramatis autopilot`: which sources answer each turn side
/// by side, parsed and checked in one place into a `CompareChoice`.
struct CompareOptions: ParsableArguments {
    @Option(name: .customLong("compare"), help: ArgumentHelp("Compare mode: every turn is also answered as this persona, side by side.", valueName: "PERSONA"))
    var comparePersona: String?

    @Option(name: .customLong("compare-temperature"), help: "Compare mode: source B samples at this temperature.")
    var compareTemperature: Double?

    @Option(name: .customLong("compare-seed"), help: "Compare mode: source B samples with this seed.")
    var compareSeed: Int?

    @Option(name: .customLong("compare-backend"), help: ArgumentHelp("Compare mode: source B streams from this configured backend (e.g. a hosted model against the local one).", valueName: "NAME"))
    var compareBackend: String?

    @Option(name: .customLong("compare-model"), help: ArgumentHelp("Compare mode: the model source B asks for (default: its backend's configured model).", valueName: "MODEL"))
    var compareModel: String?

    @Option(name: .customLong("compare-candidates"), help: ArgumentHelp("Compare mode: this many candidates (2-4) from the own source, each with the next seed, when no other source is chosen.", valueName: "N"))
    var compareCandidates: Int?

    @Flag(name: .customLong("compare-blind"), help: "Compare mode, blind: source names hidden and panes shuffled per turn until you decide.")
    var compareBlind = false

    func validate() throws {
        if let compareTemperature, !(0...2).contains(compareTemperature) {
            throw ValidationError("--compare-temperature must be between 0 and 2 (got \(compareTemperature))")
        }
        if let compareCandidates, !(2...4).contains(compareCandidates) {
            throw ValidationError("--compare-candidates must be 2, 3 or 4 (got \(compareCandidates))")
        }
    }

    /// Whether any `--compare…` option was given.
    var isRequested: Bool {
        comparePersona != nil || compareTemperature != nil || compareSeed != nil || compareBlind || compareBackend != nil
            || compareModel != nil || compareCandidates != nil
    }

    /// The compare choice the options ask for (nil when none was given), checked now with the configuration's and
    /// the persona library's words rather than as a failed reply later: a problem is printed as `dramatis COMMAND:
    /// --option: why` and exits with status 2.
    func choice(command: String, configuration: BackendConfiguration, defaultBackend: String?, shuffleSeed: UInt64,
                persona resolve: (String) throws -> Persona) throws -> CompareChoice? {
        guard isRequested else { return nil }
        var choice = CompareChoice(samplingOverrides: SamplingParameters(temperature: compareTemperature, seed: compareSeed),
                                   blind: compareBlind, shuffleSeed: shuffleSeed)
        choice.candidates = compareCandidates ?? 2
        if compareBackend != nil || compareModel != nil {
            do {
                let settings = try configuration.settings(named: compareBackend ?? defaultBackend)
                choice.backend = settings.name
                choice.model = compareModel ?? settings.model
            } catch {
                FileHandle.standardError.write(Data("dramatis \(command): --compare-backend: \(TerminalSanitizer.sanitize("\(error)"))\n".utf8))
                throw ExitCode(2)
            }
        }
        if let comparePersona {
            do {
                choice.otherPersona = try resolve(comparePersona)
            } catch {
                FileHandle.standardError.write(Data("dramatis \(command): --compare \(TerminalSanitizer.sanitize(comparePersona)): \(TerminalSanitizer.sanitize("\(error)"))\n".utf8))
                throw ExitCode(2)
            }
        }
        return choice
    }
}
