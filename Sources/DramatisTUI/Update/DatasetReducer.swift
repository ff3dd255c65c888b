import DramatisCore

/// The dataset screen's reducer: move between findings, open a finding's source, refresh, leave.
enum DatasetReducer {
    /// What the app reducer must do for a key on the dataset screen (beyond the screen's own state).
    enum Outcome: Equatable {
        case handled
        /// Back to where the screen was opened from.
        case leave
        /// Open this transcript at this turn.
        case openSource(transcript: String, turn: TurnID?)
        case refresh
        case notice(NoticeMessage)
    }

    /// Performs a key action on the dataset screen; nil when the action does not apply here.
    static func reduce(_ action: KeyAction, _ dataset: inout DatasetScreenState) -> Outcome? {
        switch action {
        case .listUp: dataset.move(by: -1)
        case .listDown: dataset.move(by: 1)
        case .listPageUp: dataset.move(by: -10)
        case .listPageDown: dataset.move(by: 10)
        case .listFirst: dataset.select(0)
        case .listLast: dataset.select(Int.max)
        case .openFindingSource:
            guard let finding = dataset.selected else { return .handled }
            guard let transcript = finding.transcript else { return .notice(.findingHasNoSource) }
            return .openSource(transcript: transcript, turn: finding.turn)
        case .refreshDataset:
            dataset.overview = nil
            dataset.error = nil
            return .refresh
        case .closeDataset:
            return .leave
        default:
            return nil
        }
        return .handled
    }

    /// The overview arrived.
    static func loaded(_ overview: DatasetOverview, _ dataset: inout DatasetScreenState) {
        guard overview.personaID == dataset.personaID else { return }
        dataset.overview = overview
        dataset.error = nil
        dataset.select(dataset.selection)
    }

    /// Computing the overview failed.
    static func failed(_ message: String, _ dataset: inout DatasetScreenState) {
        dataset.error = message
    }
}
