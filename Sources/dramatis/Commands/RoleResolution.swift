import ArgumentParser
import DramatisBackends
import DramatisCore

/// Resolves the personas `autopilot` and `replay` take for the user's seat and the judge's, and their backends.
enum RoleResolution {
    /// The persona `reference` names, checked to be able to take `role`'s seat (an assistant persona may play the
    /// user; only a `role: judge` persona judges, since the verdict format lives in its rubric).
    static func persona(_ reference: String, option: String, role: PersonaRole, library: PersonaLibrary) throws -> Persona {
        let persona: Persona
        do { persona = try library.resolve(reference) } catch { throw ValidationError("\(option) \(reference): \(error)") }
        if role == .judge, persona.role != .judge {
            throw ValidationError("\(option) \(reference): \(persona.id) is not a judge; a judge persona has 'role: judge' and a rubric (see docs/autopilot.md)")
        }
        if role == .userSimulator, persona.role == .judge {
            throw ValidationError("\(option) \(reference): \(persona.id) is a judge, not a user simulator")
        }
        return persona
    }

    /// A judge on its persona's backend and model (`backend:`/`model:` in its front matter), else the run's
    /// backend; `overrides` (the command line's --temperature/--seed/--max-tokens) apply to its sampling.
    static func judge(_ persona: Persona, factory: BackendFactory, fallbackBackend: String?, overrides: SamplingParameters) async throws -> Judge {
        let backend = try await factory.makeBackend(named: persona.backend ?? fallbackBackend, model: persona.model)
        return Judge(persona: persona, backend: backend, model: persona.model, sampling: persona.sampling.overridden(by: overrides))
    }
}
