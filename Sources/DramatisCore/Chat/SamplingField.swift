/// One sampling setting, named as a persona file's front matter names it, with the one set of value checks that
/// both `dramatis personas lint` (the persona file parser) and the chat's sampling panel apply.
public enum SamplingField: String, CaseIterable, Sendable, Hashable {
    case temperature
    case topP = "top_p"
    case maxTokens = "max_tokens"
    case seed
    case presencePenalty = "presence_penalty"
    case frequencyPenalty = "frequency_penalty"
    case stop

    /// The front-matter key (and the request's JSON key).
    public var key: String { rawValue }

    /// The allowed range of a number setting (nil for whole-number and text settings).
    public var numberRange: ClosedRange<Double>? {
        switch self {
        case .temperature: 0...2
        case .topP: 0...1
        case .presencePenalty, .frequencyPenalty: -2...2
        case .maxTokens, .seed, .stop: nil
        }
    }

    /// What a valid value looks like, in a few words (the panel's hint column).
    public var allowedText: String {
        if let range = numberRange { return "\(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))" }
        switch self {
        case .maxTokens: return "1 or more"
        case .seed: return "whole number"
        default: return "\"text\", \"text\""
        }
    }

    /// Reads a number setting written as `text` (underscores allowed, as YAML does): the value, or the problem in
    /// the words lint uses ("expected a number between 0 and 2, got 2.5").
    public func readNumber(_ text: String) -> Result<Double, SamplingValueProblem> {
        let range = numberRange ?? -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        let expectation = "expected a number between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))"
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            return .failure(SamplingValueProblem(field: self, message: "\(expectation), got \"\(text)\""))
        }
        guard range.contains(value) else { return .failure(SamplingValueProblem(field: self, message: "\(expectation), got \(text)")) }
        return .success(value)
    }

    /// Reads a whole-number setting (`max_tokens` must be positive): the value, or the problem in lint's words.
    public func readWholeNumber(_ text: String) -> Result<Int, SamplingValueProblem> {
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            return .failure(SamplingValueProblem(field: self, message: "expected a whole number, got \"\(text)\""))
        }
        if self == .maxTokens, value < 1 {
            return .failure(SamplingValueProblem(field: self, message: "expected a positive whole number, got \(value)"))
        }
        return .success(value)
    }

    /// The problem with a list of stop sequences, if any (lint's words).
    public func stopProblem(_ stops: [String]) -> SamplingValueProblem? {
        stops.contains(where: \.isEmpty) ? SamplingValueProblem(field: self, message: "a stop sequence cannot be empty") : nil
    }

    /// Reads the setting as typed in the sampling panel into `parameters`: blank text unsets it (the backend's default);
    /// the problem is returned, and `parameters` left alone, when the text is not a valid value.
    public func read(_ text: String, into parameters: inout SamplingParameters) -> SamplingValueProblem? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            set(nil, in: &parameters)
            return nil
        }
        switch self {
        case .temperature, .topP, .presencePenalty, .frequencyPenalty:
            switch readNumber(trimmed) {
            case .success(let value): set(.number(value), in: &parameters)
            case .failure(let problem): return problem
            }
        case .maxTokens, .seed:
            switch readWholeNumber(trimmed) {
            case .success(let value): set(.wholeNumber(value), in: &parameters)
            case .failure(let problem): return problem
            }
        case .stop:
            switch StopListText.parse(trimmed) {
            case .success(let stops):
                if let problem = stopProblem(stops) { return problem }
                set(.texts(stops), in: &parameters)
            case .failure(let problem):
                return problem
            }
        }
        return nil
    }

    /// The setting's value in `parameters` as the panel shows and edits it; empty when unset.
    public func text(in parameters: SamplingParameters) -> String {
        switch self {
        case .temperature: parameters.temperature.map(Self.format) ?? ""
        case .topP: parameters.topP.map(Self.format) ?? ""
        case .presencePenalty: parameters.presencePenalty.map(Self.format) ?? ""
        case .frequencyPenalty: parameters.frequencyPenalty.map(Self.format) ?? ""
        case .maxTokens: parameters.maxTokens.map(String.init) ?? ""
        case .seed: parameters.seed.map(String.init) ?? ""
        case .stop: parameters.stop.map(StopListText.format) ?? ""
        }
    }

    /// Whether the setting is set (not left to the backend) in `parameters`.
    public func isSet(in parameters: SamplingParameters) -> Bool {
        switch self {
        case .temperature: parameters.temperature != nil
        case .topP: parameters.topP != nil
        case .presencePenalty: parameters.presencePenalty != nil
        case .frequencyPenalty: parameters.frequencyPenalty != nil
        case .maxTokens: parameters.maxTokens != nil
        case .seed: parameters.seed != nil
        case .stop: parameters.stop != nil
        }
    }

    /// A setting's value of the right kind; nil unsets it.
    public enum Value: Sendable, Hashable {
        case number(Double)
        case wholeNumber(Int)
        case texts([String])
    }

    /// Sets (or, with nil, unsets) the setting in `parameters`; a value of the wrong kind unsets it.
    public func set(_ value: Value?, in parameters: inout SamplingParameters) {
        var number: Double?, whole: Int?, texts: [String]?
        switch value {
        case .number(let value)?: number = value
        case .wholeNumber(let value)?: whole = value
        case .texts(let value)?: texts = value
        case nil: break
        }
        switch self {
        case .temperature: parameters.temperature = number
        case .topP: parameters.topP = number
        case .presencePenalty: parameters.presencePenalty = number
        case .frequencyPenalty: parameters.frequencyPenalty = number
        case .maxTokens: parameters.maxTokens = whole
        case .seed: parameters.seed = whole
        case .stop: parameters.stop = texts
        }
    }

    /// A number as Dramatis writes it: `1` for whole values, else Swift's shortest round-tripping form (`0.7`).
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// A sampling value that is not allowed, in the words `dramatis personas lint` uses.
public struct SamplingValueProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: SamplingField
    /// What is wrong, without the field name ("expected a number between 0 and 2, got 3").
    public var message: String

    /// Creates a problem with `field`'s value.
    public init(field: SamplingField, message: String) {
        self.field = field
        self.message = message
    }

    /// `temperature: expected a number between 0 and 2, got 3`.
    public var description: String { "\(field.key): \(message)" }
}
